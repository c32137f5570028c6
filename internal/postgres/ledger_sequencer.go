package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/internal/ledger"
)

// sequencerLockKey is the transaction advisory lock the sequencer holds
// while it grows the tree or signs a head ("SHUJIAO" 0x01).
const sequencerLockKey int64 = 0x5348554A49414F01

// defaultBatch is how many entries one integration transaction takes.
const defaultBatch = 2000

// Sequencer integrates committed ledger entries into the Merkle tree, in
// the order of their transactions, and signs tree heads with the platform
// key. Appenders never wait for it: AppendLedger only inserts. Serve runs
// the loop (Run) in one server at a time, the leader elected on
// SequencerLeaderKey (leader.go); any server may still integrate or sign on
// demand, and sequencers that overlap take turns on a transaction advisory
// lock, so correctness never depends on the election. A Sequencer is safe
// for concurrent use.
type Sequencer struct {
	db     DB
	signer ledger.Signer // nil: heads cannot be signed
	log    *slog.Logger
	batch  int
	// witness keeps signed heads outside the database (ledger_witness.go).
	witness HeadWitness
}

// NewSequencer returns a sequencer over db (a pool) that signs heads with
// signer (the platform key; nil when this process cannot sign) and logs to
// logger (nil: discard).
func NewSequencer(db DB, signer ledger.Signer, logger *slog.Logger) *Sequencer {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Sequencer{db: db, signer: signer, log: logger, batch: defaultBatch}
}

// treeState reads the size of the tree and the horizon of its last leaf.
const selectTreeState = `
SELECT leaf_index + 1, horizon::text::bigint FROM ledger_leaves ORDER BY leaf_index DESC LIMIT 1`

// selectPending: committed entries of transactions not older than the last
// horizon that are not in the tree yet, in transaction order.
const selectPending = `
SELECT e.id, e.seq, e.txid::text::bigint, e.kind, coalesce(e.party_id, '00000000-0000-0000-0000-000000000000'),
       coalesce(e.subject_id, '00000000-0000-0000-0000-000000000000'), e.payload, e.at
FROM ledger_entries e
WHERE e.txid >= $1::text::xid8
  AND NOT EXISTS (SELECT 1 FROM ledger_leaves l WHERE l.entry_id = e.id)
ORDER BY e.txid, e.seq
LIMIT $2`

const insertLeaves = `
INSERT INTO ledger_leaves (leaf_index, entry_id, leaf_hash, horizon)
SELECT i, e, h, $4::text::xid8 FROM unnest($1::bigint[], $2::uuid[], $3::bytea[]) AS t(i, e, h)`

const insertNodes = `
INSERT INTO ledger_nodes (level, idx, hash)
SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])`

// Integrate places every committed entry not yet in the tree into it and
// returns the tree's new size. It returns the wrapped database error.
func (s *Sequencer) Integrate(ctx context.Context) (uint64, error) {
	for {
		size, more, err := s.integrateBatch(ctx)
		if err != nil {
			return 0, err
		}
		if !more {
			return size, nil
		}
	}
}

// integrateBatch integrates up to s.batch entries in one transaction and
// reports whether more may be waiting.
func (s *Sequencer) integrateBatch(ctx context.Context) (size uint64, more bool, err error) {
	err = InTx(ctx, s.db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, sequencerLockKey); err != nil {
			return err
		}
		tree, prevHorizon, err := loadTree(ctx, tx)
		if err != nil {
			return err
		}
		// Every transaction older than horizon has finished: its entries
		// are visible to the next statement, which takes a later snapshot.
		var horizon int64
		if err := tx.QueryRow(ctx, `SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint`).Scan(&horizon); err != nil {
			return err
		}
		entries, txids, err := pendingEntries(ctx, tx, prevHorizon, s.batch)
		if err != nil {
			return err
		}
		size = tree.Size()
		if len(entries) == 0 {
			return nil
		}
		if len(entries) == s.batch {
			more = true
			horizon = min(horizon, txids[len(txids)-1])
		}
		if err := appendEntries(ctx, tx, tree, entries, horizon); err != nil {
			return err
		}
		size = tree.Size()
		return nil
	})
	if err != nil {
		return 0, false, fmt.Errorf("integrate ledger entries: %w", err)
	}
	return size, more, nil
}

// loadTree returns the stored tree's right border and its last horizon.
func loadTree(ctx context.Context, db DB) (*ledger.Tree, int64, error) {
	var size uint64
	var horizon int64
	err := db.QueryRow(ctx, selectTreeState).Scan(&size, &horizon)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return nil, 0, fmt.Errorf("read tree size: %w", err)
	}
	return treeAt(ctx, db, size, horizon)
}

// treeAt loads the border of the tree of size leaves.
func treeAt(ctx context.Context, db DB, size uint64, horizon int64) (*ledger.Tree, int64, error) {
	hashes, err := loadNodeHashes(ctx, db, ledger.BorderIDs(size))
	if err != nil {
		return nil, 0, err
	}
	tree, err := ledger.LoadTree(size, hashes)
	if err != nil {
		return nil, 0, err
	}
	return tree, horizon, nil
}

func pendingEntries(ctx context.Context, tx pgx.Tx, horizon int64, limit int) ([]ledger.Entry, []int64, error) {
	rows, err := tx.Query(ctx, selectPending, fmt.Sprint(horizon), limit)
	if err != nil {
		return nil, nil, fmt.Errorf("read pending entries: %w", err)
	}
	defer rows.Close()
	var entries []ledger.Entry
	var txids []int64
	for rows.Next() {
		var e ledger.Entry
		var txid int64
		var payload []byte
		if err := rows.Scan(&e.ID, &e.Seq, &txid, &e.Kind, &e.PartyID, &e.SubjectID, &payload, &e.At); err != nil {
			return nil, nil, fmt.Errorf("read pending entries: %w", err)
		}
		e.Payload = json.RawMessage(payload)
		entries = append(entries, e)
		txids = append(txids, txid)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("read pending entries: %w", err)
	}
	return entries, txids, nil
}

// appendEntries hashes entries into tree and stores their leaves and the
// perfect-subtree nodes they complete.
func appendEntries(ctx context.Context, tx pgx.Tx, tree *ledger.Tree, entries []ledger.Entry, horizon int64) error {
	idx := make([]int64, len(entries))
	ids := make([]uuid.UUID, len(entries))
	hashes := make([][]byte, len(entries))
	var levels []int16
	var nodeIdx []int64
	var nodeHashes [][]byte
	for i, e := range entries {
		index := tree.Size()
		h, err := ledger.LeafHash(e, index)
		if err != nil {
			return err
		}
		nodes, err := tree.Append(h)
		if err != nil {
			return err
		}
		idx[i], ids[i], hashes[i] = int64(index), e.ID, h
		for _, n := range nodes {
			levels = append(levels, int16(n.Level))
			nodeIdx = append(nodeIdx, int64(n.Index))
			nodeHashes = append(nodeHashes, n.Hash)
		}
	}
	if _, err := tx.Exec(ctx, insertLeaves, idx, ids, hashes, fmt.Sprint(horizon)); err != nil {
		return fmt.Errorf("store leaves: %w", err)
	}
	if len(levels) > 0 {
		if _, err := tx.Exec(ctx, insertNodes, levels, nodeIdx, nodeHashes); err != nil {
			return fmt.Errorf("store tree nodes: %w", err)
		}
	}
	return nil
}

// Run integrates every integrateEvery and signs a head every signEvery (when
// the tree grew and a signer is set) until ctx is done; errors are logged and
// retried at the next tick. It returns when ctx is done.
func (s *Sequencer) Run(ctx context.Context, integrateEvery, signEvery time.Duration) {
	integrate := time.NewTicker(integrateEvery)
	defer integrate.Stop()
	sign := time.NewTicker(signEvery)
	defer sign.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-integrate.C:
			if _, err := s.Integrate(ctx); err != nil && ctx.Err() == nil {
				s.log.Error("ledger sequencer", "err", err)
			}
		case <-sign.C:
			if s.signer == nil {
				continue
			}
			if _, err := s.SignHead(ctx); err != nil && ctx.Err() == nil {
				s.log.Error("ledger sign head", "err", err)
			}
		}
	}
}
