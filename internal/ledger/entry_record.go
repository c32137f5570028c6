package ledger

import (
	"time"

	"github.com/google/uuid"
)

// StoredEntry is a stored ledger entry with its place in the tree (nil
// while the sequencer has not integrated it yet).
type StoredEntry struct {
	Entry
	LeafIndex  *uint64   `json:"leaf_index"`
	RecordedAt time.Time `json:"recorded_at"`
}

// Filter selects ledger entries; zero fields do not filter.
type Filter struct {
	PartyID   uuid.UUID
	SubjectID uuid.UUID
	// Kind matches exactly ("order.paid") or, ending in ".", a prefix ("money.").
	Kind string
	// Limit caps the result (default 100, at most 1000); Before pages back
	// from an entry's seq (exclusive).
	Limit  int
	Before int64
}
