package ledger

import (
	"bytes"
	"cmp"
	"context"
	"fmt"

	"github.com/google/uuid"
)

// Problem kinds Verify reports.
const (
	ProblemChanged   = "changed"     // an entry's content no longer matches its leaf
	ProblemDeleted   = "deleted"     // an entry row or a leaf row is gone
	ProblemInserted  = "inserted"    // an entry appeared where the tree says none can be
	ProblemReordered = "reordered"   // an entry sits at another leaf than the one it was hashed at
	ProblemNotInTree = "not_in_tree" // an entry the tree should hold is not in it (its leaf deleted, or the entry inserted later)
	ProblemNode      = "node"        // a stored tree node differs from the recomputed one
	ProblemRoot      = "root"        // a signed root differs from the tree recomputed from the entries
	ProblemSignature = "signature"   // a tree head's signature does not verify
)

// Problem is one finding of Verify. LeafIndex is the leaf at fault (-1 when
// the finding is not about one leaf).
type Problem struct {
	Kind      string    `json:"kind"`
	LeafIndex int64     `json:"leaf_index"`
	EntryID   uuid.UUID `json:"entry_id"`
	Message   string    `json:"message"`
}

// Report is the outcome of Verify.
type Report struct {
	OK           bool   `json:"ok"`
	TreeSize     uint64 `json:"tree_size"`
	HeadsChecked int    `json:"heads_checked"`
	// WitnessesChecked counts the witnessed heads (kept outside the
	// database) the ledger was checked against.
	WitnessesChecked int    `json:"witnessed_heads_checked"`
	LatestHead       uint64 `json:"latest_signed_size"`
	// UnsignedLeaves counts leaves after the latest signed head: their
	// leaf hashes are checked, no signature covers them yet.
	UnsignedLeaves uint64 `json:"unsigned_leaves"`
	// FirstBad is the problem naming the earliest bad entry (nil when OK).
	FirstBad *Problem `json:"first_bad,omitempty"`
	// ProblemCount counts every problem; Problems lists the first 100.
	ProblemCount int       `json:"problem_count"`
	Problems     []Problem `json:"problems"`
}

// maxProblems caps the problems kept in a report; maxPairing caps the
// mismatched leaves searched for swapped pairs.
const (
	maxProblems = 100
	maxPairing  = 256
)

// Verify recomputes every leaf hash from the entry rows, rebuilds the tree,
// compares it with the stored nodes and with every signed head's root, and
// checks every head's signature with key. A row updated, deleted, inserted
// or moved behind the store's back is reported, and Report.FirstBad names
// the earliest bad entry. It returns an error only when src cannot be
// read; a tampered ledger is a Report with OK false.
func Verify(ctx context.Context, src Source, key SignatureVerifier) (Report, error) {
	return verify(ctx, src, key, nil)
}

func verify(ctx context.Context, src Source, key SignatureVerifier, witnessed []Head) (Report, error) {
	v := &verifier{r: Report{Problems: []Problem{}}, stored: NewTree(), truth: NewTree(), witnessed: witnessed}
	heads, err := src.Heads(ctx)
	if err != nil {
		return Report{}, fmt.Errorf("verify ledger: %w", err)
	}
	v.heads = heads
	v.checkWitnessSignatures(key)
	v.checkWitnessesStored()
	v.forged = map[uint64]bool{}
	for _, h := range heads {
		v.r.HeadsChecked++
		if err := VerifyHead(key, h); err != nil {
			v.forged[h.Size] = true // its root proves nothing: not compared
			v.add(Problem{Kind: ProblemSignature, LeafIndex: -1, Message: fmt.Sprintf("tree head %d: %v", h.Size, err)})
		}
		v.r.LatestHead = max(v.r.LatestHead, h.Size)
	}
	if err := v.checkHead(); err != nil { // a head of the empty tree
		return Report{}, err
	}
	nodes, err := src.Nodes(ctx)
	if err != nil {
		return Report{}, fmt.Errorf("verify ledger: %w", err)
	}
	defer nodes.Close()
	v.nodes = nodes
	if err := src.Leaves(ctx, v.leaf); err != nil {
		return Report{}, fmt.Errorf("verify ledger: %w", err)
	}
	v.pairMismatches()
	size := v.stored.Size()
	v.r.TreeSize = size
	for _, h := range v.heads[v.nextHead:] {
		v.add(Problem{Kind: ProblemDeleted, LeafIndex: int64(size), Message: fmt.Sprintf(
			"a head was signed over %d leaves but only %d are stored: leaves from %d on were deleted", h.Size, size, size)})
	}
	v.checkWitnessesCovered(size)
	strays, err := src.Strays(ctx, size)
	if err != nil {
		return Report{}, fmt.Errorf("verify ledger: %w", err)
	}
	for _, s := range strays {
		v.add(Problem{Kind: ProblemNotInTree, LeafIndex: int64(s.Before), EntryID: s.Entry.ID, Message: fmt.Sprintf(
			"entry %s (%s) belongs before leaf %d but is not in the tree, though its transaction ended before the last leaf was integrated: its leaf was deleted, or the entry was inserted afterwards",
			s.Entry.ID, s.Entry.Kind, s.Before)})
	}
	if size > v.r.LatestHead {
		v.r.UnsignedLeaves = size - v.r.LatestHead
	}
	v.r.OK = v.r.ProblemCount == 0
	return v.r, nil
}

// verifier walks the leaves once, growing two trees: stored (from the
// stored leaf hashes, checked against the stored nodes) and truth (from the
// hashes recomputed from the entries, checked against the signed roots).
type verifier struct {
	r           Report
	heads       []Head
	witnessed   []Head // heads kept outside the database, smallest first
	nextWitness int
	forged      map[uint64]bool // sizes of heads whose signature failed
	nextHead    int
	nodes       NodeCursor
	stored      *Tree
	truth       *Tree
	mismatched  []mismatch
	recent      [window]uuid.UUID // entry ids of the last window leaves, by index mod window
	lastGood    uint64            // size of the last signed head whose root matched
}

// window is how far from its position an entry is looked for when its leaf
// hash does not match (a shift by deleted or inserted rows).
const window = 16

// mismatch is a leaf whose entry does not hash to its stored leaf hash,
// with the entries of the leaves just before it.
type mismatch struct {
	leaf   StoredLeaf
	before map[uint64]uuid.UUID
}

// add records p: every problem counts and competes for FirstBad, the
// first maxProblems are listed.
func (v *verifier) add(p Problem) {
	v.r.ProblemCount++
	if v.r.FirstBad == nil || worse(p, *v.r.FirstBad) {
		v.r.FirstBad = &p
	}
	if len(v.r.Problems) < maxProblems {
		v.r.Problems = append(v.r.Problems, p)
	}
}

func (v *verifier) leaf(l StoredLeaf) error {
	for want := v.stored.Size(); want < l.Index; want++ {
		v.add(Problem{Kind: ProblemDeleted, LeafIndex: int64(want), Message: fmt.Sprintf("leaf %d is missing: its row was deleted", want)})
	}
	if l.Index < v.stored.Size() {
		return fmt.Errorf("leaves out of order at %d", l.Index)
	}
	truth := l.Hash
	switch {
	case l.Entry == nil:
		v.add(Problem{Kind: ProblemDeleted, LeafIndex: int64(l.Index), EntryID: l.EntryID, Message: fmt.Sprintf(
			"leaf %d: entry %s is missing: its row was deleted", l.Index, l.EntryID)})
	default:
		h, err := LeafHash(*l.Entry, l.Index)
		if err != nil {
			return err
		}
		truth = h
		if !bytes.Equal(h, l.Hash) && len(v.mismatched) < maxPairing {
			m := mismatch{leaf: l, before: map[uint64]uuid.UUID{}}
			for k := uint64(1); k < window && k <= l.Index; k++ {
				m.before[l.Index-k] = v.recent[(l.Index-k)%window]
			}
			v.mismatched = append(v.mismatched, m)
		} else if !bytes.Equal(h, l.Hash) {
			v.add(changed(l))
		}
	}
	v.recent[l.Index%window] = l.EntryID
	for v.stored.Size() < l.Index { // keep positions after a gap
		if err := v.appendBoth(make([]byte, 32), make([]byte, 32)); err != nil {
			return err
		}
	}
	return v.appendBoth(l.Hash, truth)
}

func (v *verifier) appendBoth(stored, truth []byte) error {
	nodes, err := v.stored.Append(stored)
	if err != nil {
		return err
	}
	for _, n := range nodes {
		if err := v.checkNode(n); err != nil {
			return err
		}
	}
	if _, err := v.truth.Append(truth); err != nil {
		return err
	}
	return v.checkHead()
}

// checkNode compares a recomputed node with the next stored one.
func (v *verifier) checkNode(n Node) error {
	got, ok, err := v.nodes.Next()
	if err != nil {
		return err
	}
	first := int64(n.Index << n.Level)
	switch {
	case !ok:
		v.add(Problem{Kind: ProblemNode, LeafIndex: first, Message: fmt.Sprintf("tree node (level %d, index %d) is missing", n.Level, n.Index)})
	case got.Level != n.Level || got.Index != n.Index:
		v.add(Problem{Kind: ProblemNode, LeafIndex: first, Message: fmt.Sprintf(
			"tree node (level %d, index %d) expected, (level %d, index %d) stored", n.Level, n.Index, got.Level, got.Index)})
	case !bytes.Equal(got.Hash, n.Hash):
		v.add(Problem{Kind: ProblemNode, LeafIndex: first, Message: fmt.Sprintf(
			"tree node (level %d, index %d) over leaves %d–%d does not match those leaves", n.Level, n.Index, first, first+(1<<n.Level)-1)})
	}
	return nil
}

// checkHead compares the signed and the witnessed heads at the truth
// tree's size with its root.
func (v *verifier) checkHead() error {
	v.checkWitnessRoots()
	size := v.truth.Size()
	for v.nextHead < len(v.heads) && v.heads[v.nextHead].Size <= size {
		h := v.heads[v.nextHead]
		v.nextHead++
		if h.Size < size || v.forged[h.Size] {
			continue
		}
		if !bytes.Equal(h.Root, v.truth.Root()) {
			v.add(Problem{Kind: ProblemRoot, LeafIndex: int64(v.lastGood), Message: fmt.Sprintf(
				"the root signed over %d leaves does not match the entries: an entry in leaves %d–%d was changed, moved, inserted or deleted",
				h.Size, v.lastGood, h.Size-1)})
			continue
		}
		v.lastGood = h.Size
	}
	return nil
}

// worse reports whether problem a names an earlier bad entry than b:
// findings about entries come before node, root and signature findings,
// which only bound where the damage is; then the earliest leaf wins; at one
// leaf, an entry missing from the tree (named itself) wins over a shifted
// neighbour.
func worse(a, b Problem) bool {
	class := func(p Problem) int {
		switch p.Kind {
		case ProblemNode, ProblemRoot, ProblemSignature:
			return 1
		}
		return 0
	}
	named := func(p Problem) int {
		if p.Kind == ProblemNotInTree {
			return 0
		}
		return 1
	}
	pos := func(p Problem) int64 {
		if p.LeafIndex < 0 {
			return 1 << 62
		}
		return p.LeafIndex
	}
	return cmp.Or(cmp.Compare(class(a), class(b)), cmp.Compare(pos(a), pos(b)), cmp.Compare(named(a), named(b))) < 0
}
