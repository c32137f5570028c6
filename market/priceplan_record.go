package market

import (
	"time"

	"github.com/google/uuid"
)

// PricePlanRecord is a stored version of a listing's price plan.
type PricePlanRecord struct {
	Plan          *PricePlan `json:"plan"`
	CreatedBy     UserID     `json:"created_by"`
	CreatedAt     time.Time  `json:"created_at"`
	LedgerEntryID uuid.UUID  `json:"ledger_entry_id"`
}
