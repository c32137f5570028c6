package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"github.com/shujiao/shujiao/market"
)

// exportFilingRoutes registers the seller's export filings and assessment
// results (Shaanxi Art. 72): the evidence an export order is checked
// against, registered by the data handler — never a buyer's string.
// Without the service (OrderServices.ExportFilings nil) they answer 503.
func (s *Server) exportFilingRoutes(g v1Groups) {
	g.Authed.POST("/export-filings", requireRole(market.RoleSeller), s.postExportFiling)
	g.Authed.GET("/export-filings", requireRole(market.RoleSeller), s.listExportFilings)
}

// exportFilingRequest is the body of POST /v1/export-filings.
type exportFilingRequest struct {
	Kind       market.FilingKind `json:"kind"`
	Issuer     string            `json:"issuer"`
	Number     string            `json:"number"`
	ListingIDs []string          `json:"listing_ids"`
	ValidFrom  market.Date       `json:"valid_from"`
	ValidTo    market.Date       `json:"valid_to"`
}

// filings returns the export filing service, or fails c with 503.
func (s *Server) filings(c *gin.Context) *market.ExportFilings {
	if s.svc.Orders == nil || s.svc.Orders.ExportFilings == nil {
		s.fail(c, &httpError{http.StatusServiceUnavailable, "export_filings_unavailable", "this server does not keep export filings"})
		return nil
	}
	return s.svc.Orders.ExportFilings
}

func (s *Server) postExportFiling(c *gin.Context) {
	svc := s.filings(c)
	if svc == nil {
		return
	}
	var req exportFilingRequest
	if err := decodeJSON(c.Request, &req); err != nil {
		s.fail(c, err)
		return
	}
	f := market.ExportFiling{Kind: req.Kind, Issuer: req.Issuer, Number: req.Number, ValidFrom: req.ValidFrom, ValidTo: req.ValidTo}
	for i, raw := range req.ListingIDs {
		id, err := uuid.Parse(raw)
		if err != nil {
			s.fail(c, market.Invalid("listing_ids", "invalid_id", "listing_ids[%d]: %q is not a listing ID", i, raw))
			return
		}
		f.ListingIDs = append(f.ListingIDs, id)
	}
	out, err := svc.Register(c.Request.Context(), actor(c), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	writeJSON(c, http.StatusCreated, out)
}

func (s *Server) listExportFilings(c *gin.Context) {
	svc := s.filings(c)
	if svc == nil {
		return
	}
	fs, err := svc.List(c.Request.Context(), actor(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	writeJSON(c, http.StatusOK, gin.H{"items": fs})
}
