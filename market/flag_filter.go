package market

import (
	"time"

	"github.com/google/uuid"
)

// FlagFilter selects flags for the regulator queue (GET
// /v1/regulator/flags). Zero fields do not filter.
type FlagFilter struct {
	// Article matches the cited article and its sub-paragraphs:
	// "Shaanxi Art. 36" matches "Shaanxi Art. 36" and "Shaanxi Art. 36(1)".
	Article string
	// Rule is the stable rule id: "shaanxi-37".
	Rule      string
	PartyID   PartyID
	ListingID uuid.UUID
	Status    FlagStatus
	// From and To bound created_at: From ≤ created_at < To.
	From, To time.Time
	// Limit caps the result (default 100, at most 1000); Offset skips.
	Limit, Offset int
}

// Valid reports whether s is one of the flag statuses.
func (s FlagStatus) Valid() bool {
	switch s {
	case FlagOpen, FlagInCase, FlagDismissed:
		return true
	}
	return false
}
