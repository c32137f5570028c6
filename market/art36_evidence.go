package market

import (
	"context"
	"fmt"
	"strings"
)

// GateEvidence is what the Art. 36 gate needs of storage beyond the
// declaration: what the dataset itself holds, and what the platform's
// records say of the sources. internal/postgres implements it
// (postgres.GateEvidenceStore). Implementations hold no rules.
type GateEvidence interface {
	// DatasetContent returns the content profile of seller's dataset id
	// (column names, the identifier types detected in them and the scan of
	// its values stored at upload; ContentProfile.Scan) — without
	// the columns the de-identified release of certificateID dropped, when
	// the listing sells that release — and the listed products of any
	// party whose dataset has the same content (SHA-256). It returns nil,
	// nil, nil for a dataset it does not know.
	DatasetContent(ctx context.Context, seller PartyID, datasetID, certificateID string) (*ContentProfile, []ListedCopy, error)
	// Purchases returns the orders of this exchange with the given IDs
	// (as written; IDs that are not order IDs are left out).
	Purchases(ctx context.Context, ids []string) (map[string]PurchaseRecord, error)
}

// AttachEvidence looks up, through ev, the content of decl's dataset and
// the records of its sources, and sets decl.Content and decl.Provenance
// for the gate (art36_content.go, art36_provenance.go). It returns the
// wrapped storage error.
func AttachEvidence(ctx context.Context, ev GateEvidence, seller PartyID, decl *Listing) error {
	rec := &ProvenanceRecords{Seller: seller, Checked: true, Orders: map[string]PurchaseRecord{}}
	if id := strings.TrimSpace(decl.DatasetID); id != "" {
		content, copies, err := ev.DatasetContent(ctx, seller, id, strings.TrimSpace(decl.CertificateID))
		if err != nil {
			return fmt.Errorf("gate evidence: dataset %s: %w", id, err)
		}
		decl.Content, rec.Copies = content, copies
	}
	var ids []string
	for _, s := range decl.Sources {
		if s.Origin == OriginExchangePurchase && strings.TrimSpace(s.OrderID) != "" {
			ids = append(ids, strings.TrimSpace(s.OrderID))
		}
	}
	if len(ids) > 0 {
		orders, err := ev.Purchases(ctx, ids)
		if err != nil {
			return fmt.Errorf("gate evidence: orders: %w", err)
		}
		rec.Orders = orders
	}
	decl.Provenance = rec
	return nil
}
