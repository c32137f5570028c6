package postgres

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/internal/ledger"
)

// LedgerLog is ledger.Log over db and the sequencer that integrates and
// signs (nil: proofs and signing report an error). It is safe for
// concurrent use.
type LedgerLog struct {
	db  DB
	seq *Sequencer
}

var _ ledger.Log = LedgerLog{}

// NewLedgerLog returns the ledger as the adapters read it.
func NewLedgerLog(db DB, seq *Sequencer) LedgerLog { return LedgerLog{db: db, seq: seq} }

// Entries: see ListLedgerEntries.
func (l LedgerLog) Entries(ctx context.Context, f ledger.Filter) ([]ledger.StoredEntry, error) {
	return ListLedgerEntries(ctx, l.db, f)
}

// Entry: see GetLedgerEntry.
func (l LedgerLog) Entry(ctx context.Context, id uuid.UUID) (ledger.StoredEntry, error) {
	return GetLedgerEntry(ctx, l.db, id)
}

// LatestHead: see the function LatestHead.
func (l LedgerLog) LatestHead(ctx context.Context) (ledger.Head, error) { return LatestHead(ctx, l.db) }

var errNoSequencer = fmt.Errorf("ledger: no sequencer wired")

// SignHead: see Sequencer.SignHead.
func (l LedgerLog) SignHead(ctx context.Context) (ledger.Head, error) {
	if l.seq == nil {
		return ledger.Head{}, errNoSequencer
	}
	return l.seq.SignHead(ctx)
}

// Proof: see Sequencer.Proof.
func (l LedgerLog) Proof(ctx context.Context, id uuid.UUID) (ledger.InclusionProof, error) {
	if l.seq == nil {
		return ledger.InclusionProof{}, errNoSequencer
	}
	return l.seq.Proof(ctx, id)
}

// Consistency: see Sequencer.Consistency.
func (l LedgerLog) Consistency(ctx context.Context, from, to uint64) (ledger.ConsistencyProof, error) {
	if l.seq == nil {
		return ledger.ConsistencyProof{}, errNoSequencer
	}
	return l.seq.Consistency(ctx, from, to)
}
