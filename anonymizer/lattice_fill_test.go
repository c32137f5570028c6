package anonymizer

import (
	"math/rand/v2"
	"testing"
)

// TestFillKeys_SameAsKey1 checks the specialised fill loops (one- and
// two-word source keys) against key1, the general per-class rekey, for
// every node of one-word keys one or two levels above sources of each
// width.
func TestFillKeys_SameAsKey1(t *testing.T) {
	tab := SynthesizeTable(70000, 3)
	cfg := Config{QuasiIdentifiers: popQIs, Hierarchies: popHierarchies(t, tab), Models: Models{K: 5}}
	if err := cfg.validate(tab); err != nil {
		t.Fatal(err)
	}
	dims, sens, stride, err := prepare(tab, cfg)
	if err != nil {
		t.Fatal(err)
	}
	lt := newLattice(dims)
	e := buildBottom(tab, lt, sens, stride)
	if lt.words != 2 {
		t.Fatalf("the original data's keys take %d words, want 2", lt.words)
	}
	var h hashTable
	one := e.generalize(e.bottom, []int{2, 2, 0, 1, 0, 0, 1, 0}, &h, nil)
	if one.lay.words != 1 {
		t.Fatalf("source keys take %d words, want 1", one.lay.words)
	}
	tried := map[int]int{}
	levels := make([]int, len(dims))
	for id := 0; id < int(lt.size); id++ {
		lt.levelsOf(id, levels)
		for _, src := range []*freqSet{e.bottom, one} {
			if !below(src.levels, levels) || levelSum(levels)-levelSum(src.levels) > 2 {
				continue
			}
			lay := lt.layoutFor(levels)
			if lay.words != 1 {
				continue
			}
			r := e.keyChanges(src, levels, lay)
			keys := make([]uint64, src.classes()-7)
			fillKeys(r, src, keys, 7) // from class 7: the offset is honoured
			sw := src.lay.words
			for j, k := range keys {
				c := 7 + j
				if want := r.key1(src.keys[c*sw : c*sw+sw]); k != want {
					t.Fatalf("node %v from %v: class %d key %#x, key1 %#x", levels, src.levels, c, k, want)
				}
			}
			tried[sw]++
		}
	}
	if tried[1] == 0 || tried[2] == 0 {
		t.Fatalf("nodes tried by source width: %v", tried)
	}
	t.Logf("nodes tried by source width: %v", tried)
}

// TestSampleCount_EstimatesAndStops counts sequences of known numbers of
// distinct keys in parts: under limits a fifth above and below that
// number, the count passes only the lower one (the estimate errs by a few
// per cent), and under a limit far below it, it stops within the first
// part.
func TestSampleCount_EstimatesAndStops(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	for _, d := range []int{300000, 2000000} {
		keys := make([]uint64, 3*d)
		for i := range keys {
			keys[i] = uint64(r.IntN(d))<<20 | 5 // low bits all alike
		}
		var h hashTable
		within := func(limit int) bool {
			sc := h.sampleReset(limit)
			for lo := 0; lo < len(keys); lo += len(keys) / 3 {
				if sc.add(keys[lo : lo+len(keys)/3]) {
					return false
				}
			}
			return true
		}
		if !within(d + d/5) {
			t.Fatalf("%d distinct keys: estimated above %d", d, d+d/5)
		}
		if within(d - d/5) {
			t.Fatalf("%d distinct keys: estimated within %d", d, d-d/5)
		}
		sc := h.sampleReset(d / 10)
		if !sc.add(keys[:len(keys)/3]) {
			t.Fatalf("%d distinct keys: a third not estimated above %d", d, d/10)
		}
	}
}

// TestFillEstimated_KeysInFullOrGivenUp fills the result keys of a node
// from the original data with and without the estimate, on one and two
// workers: in full and the same as fillKeys when the limit is above the
// classes, given up (false) when it is far below them.
func TestFillEstimated_KeysInFullOrGivenUp(t *testing.T) {
	tab := SynthesizeTable(200000, 5)
	e := encodeForTest(t, tab, Config{QuasiIdentifiers: popQIs, Hierarchies: popHierarchies(t, tab), Models: Models{K: 5}})
	lt := e.lt
	levels := []int{1, 1, 0, 0, 0, 0, 1, 0}
	lay := lt.layoutFor(levels)
	if lay.words != 1 {
		t.Fatalf("result keys take %d words, want 1", lay.words)
	}
	r := e.keyChanges(e.bottom, levels, lay)
	n := e.bottom.classes()
	want := make([]uint64, n)
	fillKeys(r, e.bottom, want, 0)
	classes := map[uint64]bool{}
	for _, k := range want {
		classes[k] = true
	}
	var h hashTable
	for _, workers := range []int{1, 2} {
		for _, estimate := range []bool{false, true} {
			keys := make([]uint64, n)
			if !fillEstimated(r, e.bottom, keys, &h, estimate, 2*len(classes), workers) {
				t.Fatalf("%d workers, estimate %v: given up under twice its %d classes", workers, estimate, len(classes))
			}
			for c := range keys {
				if keys[c] != want[c] {
					t.Fatalf("%d workers, estimate %v: class %d key %#x, want %#x", workers, estimate, c, keys[c], want[c])
				}
			}
		}
		keys := make([]uint64, n)
		if fillEstimated(r, e.bottom, keys, &h, true, len(classes)/4, workers) {
			t.Fatalf("%d workers: not given up under a quarter of its %d classes", workers, len(classes))
		}
		if fillEstimated(r, e.bottom, keys, &h, false, len(classes)/4, workers) == false {
			t.Fatalf("%d workers: given up without the estimate", workers)
		}
	}
}
