package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/internal/ledger"
	"github.com/shujiao/shujiao/market"
)

// leafOf returns the leaf index and hash of an entry, or ErrNotFound.
func leafOf(ctx context.Context, db DB, id uuid.UUID) (uint64, []byte, error) {
	var idx int64
	var h []byte
	err := db.QueryRow(ctx, `SELECT leaf_index, leaf_hash FROM ledger_leaves WHERE entry_id = $1`, id).Scan(&idx, &h)
	if err != nil {
		return 0, nil, translate(err)
	}
	return uint64(idx), h, nil
}

// Proof returns an inclusion proof of entry id against the latest signed
// head, integrating the entry and signing a new head first when needed.
// It returns an error wrapping market.ErrNotFound when no committed entry
// has that id, ErrNoSigner when a head is needed and there is no key, or
// the wrapped database error.
func (s *Sequencer) Proof(ctx context.Context, id uuid.UUID) (ledger.InclusionProof, error) {
	idx, leafHash, err := leafOf(ctx, s.db, id)
	if errors.Is(err, market.ErrNotFound) {
		if _, err := s.Integrate(ctx); err != nil {
			return ledger.InclusionProof{}, err
		}
		idx, leafHash, err = leafOf(ctx, s.db, id)
	}
	if err != nil {
		return ledger.InclusionProof{}, fmt.Errorf("proof of ledger entry %s: %w", id, err)
	}
	head, err := LatestHead(ctx, s.db)
	if err != nil && !errors.Is(err, market.ErrNotFound) {
		return ledger.InclusionProof{}, err
	}
	if err != nil || head.Size <= idx {
		if head, err = s.SignHead(ctx); err != nil {
			return ledger.InclusionProof{}, fmt.Errorf("proof of ledger entry %s: %w", id, err)
		}
	}
	nodes, err := ledger.InclusionNodes(idx, head.Size)
	if err != nil {
		return ledger.InclusionProof{}, fmt.Errorf("proof of ledger entry %s: %w", id, err)
	}
	hashes, err := loadNodeHashes(ctx, s.db, nodes.IDs)
	if err != nil {
		return ledger.InclusionProof{}, fmt.Errorf("proof of ledger entry %s: %w", id, err)
	}
	p, err := ledger.FoldProof(nodes, hashes)
	if err != nil {
		return ledger.InclusionProof{}, fmt.Errorf("proof of ledger entry %s: %w", id, err)
	}
	return ledger.InclusionProof{EntryID: id, LeafIndex: idx, TreeSize: head.Size, LeafHash: leafHash, Hashes: p, Head: head}, nil
}

// Consistency returns a consistency proof from the tree of from leaves to
// the tree of to leaves, with both roots and the signed heads at those
// sizes when there are any. It returns an ErrInvalid *market.Error unless
// from ≤ to ≤ the tree's size, or the wrapped database error.
func (s *Sequencer) Consistency(ctx context.Context, from, to uint64) (ledger.ConsistencyProof, error) {
	tree, _, err := loadTree(ctx, s.db)
	if err != nil {
		return ledger.ConsistencyProof{}, err
	}
	if from > to || to > tree.Size() {
		return ledger.ConsistencyProof{}, market.Invalid("to", "invalid_tree_size",
			"want 0 ≤ from ≤ to ≤ %d (the tree's size), got from=%d to=%d", tree.Size(), from, to)
	}
	cp := ledger.ConsistencyProof{From: from, To: to}
	for _, x := range []struct {
		size uint64
		root *[]byte
		head **ledger.Head
	}{{from, &cp.FromRoot, &cp.FromHead}, {to, &cp.ToRoot, &cp.ToHead}} {
		t, _, err := treeAt(ctx, s.db, x.size, 0)
		if err != nil {
			return ledger.ConsistencyProof{}, err
		}
		*x.root = t.Root()
		if h, err := HeadAt(ctx, s.db, x.size); err == nil {
			*x.head = &h
		} else if !errors.Is(err, market.ErrNotFound) {
			return ledger.ConsistencyProof{}, err
		}
	}
	nodes, err := ledger.ConsistencyNodes(from, to)
	if err != nil {
		return ledger.ConsistencyProof{}, fmt.Errorf("consistency proof %d→%d: %w", from, to, err)
	}
	hashes, err := loadNodeHashes(ctx, s.db, nodes.IDs)
	if err != nil {
		return ledger.ConsistencyProof{}, fmt.Errorf("consistency proof %d→%d: %w", from, to, err)
	}
	if cp.Hashes, err = ledger.FoldProof(nodes, hashes); err != nil {
		return ledger.ConsistencyProof{}, fmt.Errorf("consistency proof %d→%d: %w", from, to, err)
	}
	return cp, nil
}
