package ledger

import (
	"context"

	"github.com/google/uuid"
)

// Log is the stored ledger as the HTTP API and the pages read it: entries,
// signed tree heads and proofs. internal/postgres implements it
// (postgres.LedgerLog, over the sequencer that integrates and signs).
type Log interface {
	// Entries returns the entries f selects, newest first.
	Entries(ctx context.Context, f Filter) ([]StoredEntry, error)
	// Entry returns one entry, or an error wrapping market.ErrNotFound.
	Entry(ctx context.Context, id uuid.UUID) (StoredEntry, error)
	// LatestHead returns the latest signed tree head.
	LatestHead(ctx context.Context) (Head, error)
	// SignHead integrates what is committed and signs a head when the
	// tree grew; it returns the latest head.
	SignHead(ctx context.Context) (Head, error)
	// Proof proves entry id's inclusion under the latest signed head.
	Proof(ctx context.Context, id uuid.UUID) (InclusionProof, error)
	// Consistency proves the tree of from leaves a prefix of that of to.
	Consistency(ctx context.Context, from, to uint64) (ConsistencyProof, error)
}
