package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/shujiao/shujiao/internal/ledger"
)

// VerifyLedger checks the whole stored ledger with ledger.Verify: every
// leaf hash recomputed from its entry row, every stored node, every signed
// head's root and signature (by key, the platform's public key). A
// tampered ledger is a Report with OK false and FirstBad naming the
// earliest bad entry; the error is for a database that cannot be read.
// It reads on several connections of pool at once.
func VerifyLedger(ctx context.Context, pool *pgxpool.Pool, key ledger.SignatureVerifier) (ledger.Report, error) {
	return ledger.Verify(ctx, LedgerSource{pool: pool}, key)
}

// VerifyLedgerWitnessed is VerifyLedger, and also checks the ledger
// against witnessed heads kept outside the database (ledger.VerifyWitnessed).
func VerifyLedgerWitnessed(ctx context.Context, pool *pgxpool.Pool, key ledger.SignatureVerifier, witnessed []ledger.Head) (ledger.Report, error) {
	return ledger.VerifyWitnessed(ctx, LedgerSource{pool: pool}, key, witnessed)
}

// LedgerSource reads the stored ledger for ledger.Verify.
type LedgerSource struct {
	pool *pgxpool.Pool
}

var _ ledger.Source = LedgerSource{}

// NewLedgerSource returns the ledger stored behind pool as a ledger.Source.
func NewLedgerSource(pool *pgxpool.Pool) LedgerSource { return LedgerSource{pool: pool} }

// Heads returns every signed head, smallest tree first.
func (s LedgerSource) Heads(ctx context.Context) ([]ledger.Head, error) { return Heads(ctx, s.pool) }

const entryColumns = `e.id, e.seq, e.kind, coalesce(e.party_id, '00000000-0000-0000-0000-000000000000'),
       coalesce(e.subject_id, '00000000-0000-0000-0000-000000000000'), e.payload, e.at`

const selectStoredLeaves = `
SELECT l.leaf_index, l.entry_id, l.leaf_hash, e.id IS NOT NULL, ` + entryColumns + `
FROM ledger_leaves l LEFT JOIN ledger_entries e ON e.id = l.entry_id
ORDER BY l.leaf_index`

// Leaves calls fn for every stored leaf in index order, with its entry row
// when there is one.
func (s LedgerSource) Leaves(ctx context.Context, fn func(ledger.StoredLeaf) error) error {
	rows, err := s.pool.Query(ctx, selectStoredLeaves)
	if err != nil {
		return fmt.Errorf("read leaves: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var l ledger.StoredLeaf
		var idx int64
		var present bool
		var id, party, subject *uuid.UUID
		var seq *int64
		var kind *string
		var payload []byte
		var at *time.Time
		if err := rows.Scan(&idx, &l.EntryID, &l.Hash, &present, &id, &seq, &kind, &party, &subject, &payload, &at); err != nil {
			return fmt.Errorf("read leaves: %w", err)
		}
		l.Index = uint64(idx)
		if present {
			l.Entry = &ledger.Entry{ID: *id, Seq: *seq, Kind: *kind, PartyID: *party, SubjectID: *subject,
				Payload: json.RawMessage(payload), At: *at}
		}
		if err := fn(l); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read leaves: %w", err)
	}
	return nil
}

// Nodes returns the stored nodes in the order the tree completes them.
func (s LedgerSource) Nodes(ctx context.Context) (ledger.NodeCursor, error) {
	rows, err := s.pool.Query(ctx, `SELECT level, idx, hash FROM ledger_nodes ORDER BY (idx + 1) << level, level`)
	if err != nil {
		return nil, fmt.Errorf("read tree nodes: %w", err)
	}
	return nodeCursor{rows}, nil
}

type nodeCursor struct{ rows pgx.Rows }

func (c nodeCursor) Next() (ledger.Node, bool, error) {
	if !c.rows.Next() {
		return ledger.Node{}, false, c.rows.Err()
	}
	var level int16
	var idx int64
	var n ledger.Node
	if err := c.rows.Scan(&level, &idx, &n.Hash); err != nil {
		return ledger.Node{}, false, fmt.Errorf("read tree nodes: %w", err)
	}
	n.Level, n.Index = uint(level), uint64(idx)
	return n, true, nil
}

func (c nodeCursor) Close() { c.rows.Close() }

// selectStrays: entries not in the tree whose transaction is older than
// the horizon of leaf $1-1, each with the leaf it belongs before in the
// sequencer's order (transaction id, then seq): the first leaf holding a
// later entry.
const selectStrays = `
SELECT ` + entryColumns + `,
       coalesce((SELECT min(l2.leaf_index) FROM ledger_leaves l2 JOIN ledger_entries e2 ON e2.id = l2.entry_id
                 WHERE (e2.txid, e2.seq) > (e.txid, e.seq) AND l2.leaf_index < $1), $1)
FROM ledger_entries e
WHERE e.txid < (SELECT horizon FROM ledger_leaves WHERE leaf_index = $1 - 1)
  AND NOT EXISTS (SELECT 1 FROM ledger_leaves l WHERE l.entry_id = e.id)
ORDER BY e.txid, e.seq
LIMIT 1000`

// Strays returns the entries missing from the first size leaves although
// their transaction is older than the horizon of leaf size-1.
func (s LedgerSource) Strays(ctx context.Context, size uint64) ([]ledger.Stray, error) {
	if size == 0 {
		return nil, nil
	}
	rows, err := s.pool.Query(ctx, selectStrays, int64(size))
	if err != nil {
		return nil, fmt.Errorf("read stray entries: %w", err)
	}
	strays, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (ledger.Stray, error) {
		var st ledger.Stray
		var payload []byte
		var before int64
		e := &st.Entry
		err := r.Scan(&e.ID, &e.Seq, &e.Kind, &e.PartyID, &e.SubjectID, &payload, &e.At, &before)
		e.Payload, st.Before = json.RawMessage(payload), uint64(before)
		return st, err
	})
	if err != nil {
		return nil, fmt.Errorf("read stray entries: %w", err)
	}
	return strays, nil
}
