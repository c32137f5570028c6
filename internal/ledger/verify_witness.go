package ledger

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"
)

// ProblemWitness is a finding against a witnessed head (one kept outside
// the database, in the heads file or saved by an auditor): the ledger was
// wiped, rolled back or forked, or a signed head was deleted.
const ProblemWitness = "witness"

// VerifyWitnessed is Verify, and also checks the ledger against witnessed
// heads kept outside the database: each must verify with key, be covered by
// the stored tree (else entries were wiped or rolled back), have the root
// recomputed from the entries at its size (else the ledger was forked or
// rewritten), and still be among the stored heads (else a signed head was
// deleted). Each failure is a ProblemWitness whose message names what is
// missing.
func VerifyWitnessed(ctx context.Context, src Source, key SignatureVerifier, witnessed []Head) (Report, error) {
	ws := slices.Clone(witnessed)
	slices.SortStableFunc(ws, func(a, b Head) int { return cmp.Compare(a.Size, b.Size) })
	return verify(ctx, src, key, ws)
}

// checkWitnessSignatures drops the witnessed heads whose signature fails
// (they prove nothing) and reports them.
func (v *verifier) checkWitnessSignatures(key SignatureVerifier) {
	kept := v.witnessed[:0]
	for _, w := range v.witnessed {
		v.r.WitnessesChecked++
		if err := VerifyHead(key, w); err != nil {
			v.add(Problem{Kind: ProblemWitness, LeafIndex: -1, Message: fmt.Sprintf(
				"the witnessed head over %d entries signed at %s does not verify with the key: %v", w.Size, stamp(w.Time), err)})
			continue
		}
		kept = append(kept, w)
	}
	v.witnessed = kept
}

// checkWitnessesStored reports each witnessed head that is not among the
// stored heads (compared by size and root).
func (v *verifier) checkWitnessesStored() {
	stored := make(map[uint64][]byte, len(v.heads))
	for _, h := range v.heads {
		stored[h.Size] = h.Root
	}
	for _, w := range v.witnessed {
		root, ok := stored[w.Size]
		switch {
		case !ok:
			v.add(Problem{Kind: ProblemWitness, LeafIndex: -1, Message: fmt.Sprintf(
				"the head over %d entries signed at %s is missing from the database: a signed head was deleted", w.Size, stamp(w.Time))})
		case !bytes.Equal(root, w.Root):
			v.add(Problem{Kind: ProblemWitness, LeafIndex: -1, Message: fmt.Sprintf(
				"the head stored for %d entries has another root than the one witnessed at %s: the signed head was replaced", w.Size, stamp(w.Time))})
		}
	}
}

// checkWitnessRoots compares the witnessed heads at the truth tree's size
// with its root.
func (v *verifier) checkWitnessRoots() {
	size := v.truth.Size()
	for v.nextWitness < len(v.witnessed) && v.witnessed[v.nextWitness].Size <= size {
		w := v.witnessed[v.nextWitness]
		v.nextWitness++
		if w.Size == size && !bytes.Equal(w.Root, v.truth.Root()) {
			v.add(Problem{Kind: ProblemWitness, LeafIndex: int64(v.lastGood), Message: fmt.Sprintf(
				"the first %d entries do not match the head witnessed at %s: the ledger was forked or rewritten in leaves %d–%d",
				w.Size, stamp(w.Time), v.lastGood, w.Size-1)})
		}
	}
}

// checkWitnessesCovered reports the largest witnessed head over more
// entries than the stored tree holds: those entries were wiped or rolled
// back.
func (v *verifier) checkWitnessesCovered(size uint64) {
	if rest := v.witnessed[v.nextWitness:]; len(rest) > 0 {
		w := rest[len(rest)-1]
		v.add(Problem{Kind: ProblemWitness, LeafIndex: int64(size), Message: fmt.Sprintf(
			"entries %d–%d are missing: the head witnessed at %s covers %d entries, the database holds %d (wiped or rolled back)",
			size, w.Size-1, stamp(w.Time), w.Size, size)})
	}
	v.nextWitness = len(v.witnessed)
}

func stamp(t time.Time) string { return t.UTC().Format(TimeFormat) }
