package ledger

import (
	"context"

	"github.com/google/uuid"
)

// StoredLeaf is one row of the tree as stored: its index, the entry it
// names, the leaf hash stored with it, and the entry's row (nil when the
// entry row is missing).
type StoredLeaf struct {
	Index   uint64
	EntryID uuid.UUID
	Hash    []byte
	Entry   *Entry
}

// Stray is an entry that is not in the tree although the tree claims to hold
// every entry of its transaction (older than the horizon of the last leaf):
// its leaf was deleted or it was inserted after the fact. Before is the
// first leaf that follows it in the sequencer's order.
type Stray struct {
	Entry  Entry
	Before uint64
}

// NodeCursor reads stored tree nodes one at a time.
type NodeCursor interface {
	// Next returns the next node, or ok=false at the end.
	Next() (n Node, ok bool, err error)
	Close()
}

// Source is the stored ledger as Verify reads it. Read heads first, then
// leaves, nodes and strays: heads are signed only over stored leaves, so a
// ledger growing during verification stays consistent.
type Source interface {
	// Heads returns every signed head, smallest tree first.
	Heads(ctx context.Context) ([]Head, error)
	// Leaves calls fn for every stored leaf in index order.
	Leaves(ctx context.Context, fn func(StoredLeaf) error) error
	// Nodes returns the stored nodes above the leaves in the order the tree
	// completes them: by (index+1)·2^level, then level.
	Nodes(ctx context.Context) (NodeCursor, error)
	// Strays returns the entries missing from the tree although their
	// transaction is older than the horizon of the last of size leaves.
	Strays(ctx context.Context, size uint64) ([]Stray, error)
}
