package market

import (
	"encoding/json"
	"time"

	"github.com/google/uuid"
)

// LedgerEvent is one market event to append to the tamper-evident
// transaction ledger: listing decisions and state changes, quotes, orders,
// payments, deliveries, flags, regulator decisions. Shaanxi Art. 74 and 75
// penalties are computed from these records, so every change to market
// state appends its event in the same database transaction as the change.
type LedgerEvent struct {
	// Kind is a stable dotted name: "listing.submitted", "order.paid", "flag.raised", …
	Kind string `json:"kind"`
	// PartyID is the party that acted or is concerned (zero for the platform).
	PartyID PartyID `json:"party_id"`
	// SubjectID is the thing the event is about (listing, order, case…).
	SubjectID uuid.UUID `json:"subject_id"`
	// Payload is the event's facts (amounts as decimal strings, article cited).
	Payload json.RawMessage `json:"payload"`
	// At is when it happened (UTC).
	At time.Time `json:"at"`
}
