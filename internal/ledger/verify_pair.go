package ledger

import (
	"bytes"
	"fmt"
)

// changed is the problem of leaf l whose entry no longer hashes to it.
func changed(l StoredLeaf) Problem {
	return Problem{Kind: ProblemChanged, LeafIndex: int64(l.Index), EntryID: l.EntryID, Message: fmt.Sprintf(
		"leaf %d: entry %s (%s) does not match its leaf hash: it was changed after it was recorded", l.Index, l.EntryID, l.Entry.Kind)}
}

// pairMismatches explains each mismatched leaf. Its entry may hash to its
// stored leaf hash at another position j (the entry was recorded at leaf j):
// swapped with the entry at j (reordered), shifted back by deleted rows
// (j > i) or forward by inserted ones (j < i). Or the stored hash may be
// another mismatched entry's (entries swapped between leaves: reordered).
// Otherwise the entry itself changed.
func (v *verifier) pairMismatches() {
	recordedAt := make(map[uint64]uint64, len(v.mismatched)) // leaf index → where its entry was recorded
	byIndex := make(map[uint64]StoredLeaf, len(v.mismatched))
	for _, m := range v.mismatched {
		byIndex[m.leaf.Index] = m.leaf
	}
	for _, m := range v.mismatched {
		if j, ok := v.findRecorded(m.leaf, byIndex); ok {
			recordedAt[m.leaf.Index] = j
		}
	}
	seen := map[string]bool{}
	for _, m := range v.mismatched {
		l := m.leaf
		p := changed(l)
		j, moved := recordedAt[l.Index]
		switch {
		case moved && recordedAt[j] == l.Index && byIndex[j].Entry != nil:
			p.Kind, p.Message = ProblemReordered, fmt.Sprintf(
				"leaf %d holds entry %s, recorded at leaf %d, and leaf %d holds entry %s, recorded at leaf %d: the entries were reordered",
				l.Index, l.EntryID, j, j, byIndex[j].EntryID, l.Index)
		case moved && j > l.Index:
			p.Kind, p.Message = ProblemDeleted, fmt.Sprintf(
				"%d entries were deleted at leaf %d: it now holds entry %s, recorded at leaf %d",
				j-l.Index, l.Index, l.EntryID, j)
		case moved && j < l.Index:
			forged := m.before[j]
			p = Problem{Kind: ProblemInserted, LeafIndex: int64(j), EntryID: forged, Message: fmt.Sprintf(
				"entry %s at leaf %d was inserted: entry %s, now at leaf %d, was recorded at leaf %d",
				forged, j, l.EntryID, l.Index, j)}
		default:
			for _, o := range v.mismatched {
				if o.leaf.Index == l.Index {
					continue
				}
				if h, err := LeafHash(*o.leaf.Entry, l.Index); err == nil && bytes.Equal(h, l.Hash) {
					p.Kind, p.Message = ProblemReordered, fmt.Sprintf(
						"leaf %d holds entry %s, but its hash is that of entry %s, now at leaf %d: the entries were reordered",
						l.Index, l.EntryID, o.leaf.EntryID, o.leaf.Index)
					break
				}
			}
		}
		key := fmt.Sprint(p.Kind, p.LeafIndex, p.EntryID)
		if (p.Kind == ProblemDeleted || p.Kind == ProblemInserted) && seen[key] {
			continue
		}
		seen[key] = true
		v.add(p)
	}
}

// findRecorded returns the leaf index at which l's entry hashes to l's
// stored hash: another mismatched leaf's index, or one within window.
func (v *verifier) findRecorded(l StoredLeaf, byIndex map[uint64]StoredLeaf) (uint64, bool) {
	try := func(j uint64) bool {
		h, err := LeafHash(*l.Entry, j)
		return err == nil && bytes.Equal(h, l.Hash)
	}
	for k := uint64(1); k < window; k++ {
		if try(l.Index + k) {
			return l.Index + k, true
		}
		if k <= l.Index && try(l.Index-k) {
			return l.Index - k, true
		}
	}
	for j := range byIndex {
		if j != l.Index && try(j) {
			return j, true
		}
	}
	return 0, false
}
