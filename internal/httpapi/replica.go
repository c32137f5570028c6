package httpapi

import (
	"github.com/shujiao/shujiao/market"
	"github.com/shujiao/shujiao/market/govdata"
)

// ReplicaServices serve the read-only public catalog routes from a
// PostgreSQL streaming replica (serve's DATABASE_REPLICA_URL), so that
// browsing does not load the primary: GET /v1/catalog (the listed
// products), the government open-data catalog (GET /v1/gov/catalog, its
// resources, versions and DCAT) and the CKAN API. These routes only read
// and need no read-your-writes: a replica a moment behind shows a listing
// or a resource a moment later. Everything else (the writes, the reads a
// user expects to see their own change in, the ledger and its signed heads,
// downloads, which are recorded) stays on the primary.
type ReplicaServices struct {
	Catalog market.CatalogSearcher
	GovData *govdata.Service
}

// catalogReads is the catalog search of GET /v1/catalog: the replica's
// when one is configured.
func (s *Server) catalogReads() market.CatalogSearcher {
	if r := s.svc.Replica; r != nil && r.Catalog != nil {
		return r.Catalog
	}
	return s.svc.Stores.Catalog
}

// govReads is the government data service of the read-only open-data
// catalog routes: the replica's when one is configured.
func (s *Server) govReads() *govdata.Service {
	if r := s.svc.Replica; r != nil && r.GovData != nil {
		return r.GovData
	}
	return s.svc.GovData
}
