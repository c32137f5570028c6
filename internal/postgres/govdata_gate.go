package postgres

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/market"
	"github.com/shujiao/shujiao/market/govdata"
)

// govRecords looks up, in the government data catalog, the catalog codes
// and approvals the government sources of decl cite, for the Art. 36 gate
// (market.GovRecords). It returns nil when decl has no government source.
func govRecords(ctx context.Context, db DB, seller market.PartyID, decl *market.Listing) (*market.GovRecords, error) {
	rec := &market.GovRecords{Seller: seller, OpenClass: map[string]market.OpenClass{}, Approvals: map[string]market.GovApproval{}}
	found := false
	for _, s := range decl.Sources {
		gv := s.Government
		if gv == nil {
			continue
		}
		found = true
		if gv.CatalogID != "" {
			var class market.OpenClass
			err := db.QueryRow(ctx, `SELECT open_class FROM gov_resources WHERE code = $1`, gv.CatalogID).Scan(&class)
			switch {
			case err == nil:
				rec.OpenClass[gv.CatalogID] = class
			case !isNoRows(err):
				return nil, fmt.Errorf("gate: catalog entry %s: %w", gv.CatalogID, translate(err))
			}
		}
		if gv.ApprovalRef == nil {
			continue
		}
		id, err := uuid.Parse(*gv.ApprovalRef)
		if err != nil {
			continue // not an approval of this catalog
		}
		ap, err := decodeRow[govdata.Approval](db.QueryRow(ctx, `SELECT body FROM gov_approvals WHERE id = $1`, id))
		switch {
		case err == nil:
			rec.Approvals[*gv.ApprovalRef] = market.GovApproval{Kind: string(ap.Kind), ResourceCode: ap.ResourceCode,
				HolderID: ap.HolderID, ValidFrom: ap.ValidFrom, ValidTo: ap.ValidTo, Resale: ap.Resale}
		case !isNoRows(err):
			return nil, fmt.Errorf("gate: approval %s: %w", id, translate(err))
		}
	}
	if !found {
		return nil, nil
	}
	return rec, nil
}
