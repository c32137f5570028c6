package market

import (
	"encoding/json"
	"time"

	"github.com/google/uuid"
)

// FlagStatus is where a flag stands in the regulator's queue.
type FlagStatus string

// Flag statuses.
const (
	FlagOpen      FlagStatus = "open"
	FlagInCase    FlagStatus = "in_case"
	FlagDismissed FlagStatus = "dismissed"
)

// Flag is a finding of a gate that a regulator should review: an Art. 36
// block or repeated submission, an Art. 37 detector flag, a release that
// fails the irreversibility gate after listing (Tianjin Art. 29), a refused
// export (Shaanxi Art. 72).
type Flag struct {
	ID uuid.UUID `json:"id"`
	// Rule is the stable rule id ("shaanxi-36", "shaanxi-37", "tianjin-29", "shaanxi-72").
	Rule string `json:"rule"`
	// Article cites the law: "Shaanxi Art. 37".
	Article string `json:"article"`
	// Kind refines the rule: "price_difference", "habit_pattern", "repeated_submission", …
	Kind      string     `json:"kind"`
	PartyID   PartyID    `json:"party_id"`   // the party at fault (a seller)
	ListingID *uuid.UUID `json:"listing_id"` // when a listing is concerned
	Summary   string     `json:"summary"`
	// Evidence is the gate's own evidence (trades compared, reference price,
	// exceptions rejected, violations…).
	Evidence  json.RawMessage `json:"evidence"`
	Status    FlagStatus      `json:"status"`
	CreatedAt time.Time       `json:"created_at"`
}
