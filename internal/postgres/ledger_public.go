package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/internal/ledger"
	"github.com/shujiao/shujiao/market"
)

// AuditLog answers the public auditor API (RFC 6962 §4 style) from the
// stored tree: heads, consistency and inclusion proofs, and entries cut
// down to their public facts. Proofs reach only as far as the latest
// signed head, so an anonymous caller never makes the server sign. It is
// safe for concurrent use.
type AuditLog struct {
	db  DB
	seq *Sequencer
}

// NewAuditLog returns the audit log over db (the server role's pool) and
// seq, the sequencer whose tree it reads.
func NewAuditLog(db DB, seq *Sequencer) *AuditLog { return &AuditLog{db: db, seq: seq} }

// LatestHead returns the latest signed tree head, or an error wrapping
// market.ErrNotFound when none was signed yet.
func (a *AuditLog) LatestHead(ctx context.Context) (ledger.Head, error) {
	h, err := LatestHead(ctx, a.db)
	if errors.Is(err, market.ErrNotFound) {
		return ledger.Head{}, market.Errorf(market.ErrNotFound, "no_tree_head", "no tree head has been signed yet")
	}
	return h, err
}

// signedSize returns the size of the latest signed head (0 when none).
func (a *AuditLog) signedSize(ctx context.Context) (uint64, error) {
	h, err := LatestHead(ctx, a.db)
	if errors.Is(err, market.ErrNotFound) {
		return 0, nil
	}
	return h.Size, err
}

// Consistency returns the RFC 6962 consistency proof between the trees of
// first and second leaves. It returns an ErrInvalid *market.Error unless
// 0 < first ≤ second ≤ the latest signed head's size.
func (a *AuditLog) Consistency(ctx context.Context, first, second uint64) ([][]byte, error) {
	signed, err := a.signedSize(ctx)
	if err != nil {
		return nil, err
	}
	if first == 0 || first > second || second > signed {
		return nil, market.Invalid("second", "invalid_tree_size",
			"want 0 < first ≤ second ≤ %d (the latest signed head), got first=%d second=%d", signed, first, second)
	}
	p, err := a.seq.Consistency(ctx, first, second)
	if err != nil {
		return nil, err
	}
	return p.Hashes, nil
}

// ProofByHash returns the leaf index of the leaf with hash leafHash and its
// audit path in the tree of treeSize leaves. It returns an ErrInvalid
// *market.Error unless treeSize ≤ the latest signed head's size, and one
// wrapping market.ErrNotFound when no leaf below treeSize has that hash.
func (a *AuditLog) ProofByHash(ctx context.Context, leafHash []byte, treeSize uint64) (uint64, [][]byte, error) {
	signed, err := a.signedSize(ctx)
	if err != nil {
		return 0, nil, err
	}
	if treeSize == 0 || treeSize > signed {
		return 0, nil, market.Invalid("tree_size", "invalid_tree_size",
			"want 0 < tree_size ≤ %d (the latest signed head), got %d", signed, treeSize)
	}
	var idx int64
	err = a.db.QueryRow(ctx, `SELECT leaf_index FROM ledger_leaves WHERE leaf_hash = $1 AND leaf_index < $2 ORDER BY leaf_index LIMIT 1`,
		leafHash, int64(treeSize)).Scan(&idx)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil, market.Errorf(market.ErrNotFound, "leaf_not_found", "no leaf with that hash in the tree of %d leaves", treeSize)
	}
	if err != nil {
		return 0, nil, fmt.Errorf("proof by hash: %w", err)
	}
	nodes, err := ledger.InclusionNodes(uint64(idx), treeSize)
	if err != nil {
		return 0, nil, fmt.Errorf("proof by hash: %w", err)
	}
	hashes, err := loadNodeHashes(ctx, a.db, nodes.IDs)
	if err != nil {
		return 0, nil, fmt.Errorf("proof by hash: %w", err)
	}
	path, err := ledger.FoldProof(nodes, hashes)
	if err != nil {
		return 0, nil, fmt.Errorf("proof by hash: %w", err)
	}
	return uint64(idx), path, nil
}

// PublicEntries returns the public facts of leaves start..end (inclusive),
// at most ledger.MaxPublicEntries of them, and never past the latest signed
// head. It returns an ErrInvalid *market.Error unless start ≤ end and start
// is below the latest signed head's size.
func (a *AuditLog) PublicEntries(ctx context.Context, start, end uint64) ([]ledger.PublicEntry, error) {
	signed, err := a.signedSize(ctx)
	if err != nil {
		return nil, err
	}
	if start > end || start >= signed {
		return nil, market.Invalid("start", "invalid_range",
			"want start ≤ end and start < %d (the latest signed head), got start=%d end=%d", signed, start, end)
	}
	end = min(end, signed-1, start+ledger.MaxPublicEntries-1)
	rows, err := a.db.Query(ctx, `
SELECT l.leaf_index, l.leaf_hash, e.kind, e.at
FROM ledger_leaves l JOIN ledger_entries e ON e.id = l.entry_id
WHERE l.leaf_index BETWEEN $1 AND $2 ORDER BY l.leaf_index`, int64(start), int64(end))
	if err != nil {
		return nil, fmt.Errorf("public ledger entries: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (ledger.PublicEntry, error) {
		var e ledger.PublicEntry
		var idx int64
		var at time.Time
		err := r.Scan(&idx, &e.LeafHash, &e.Kind, &at)
		e.LeafIndex, e.At = uint64(idx), at.UTC().Truncate(time.Microsecond).Format(ledger.TimeFormat)
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("public ledger entries: %w", err)
	}
	return out, nil
}
