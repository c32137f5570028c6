package anonymizer

import (
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
