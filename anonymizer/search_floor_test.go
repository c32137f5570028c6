package anonymizer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"testing"
)

// popQIs are bench/anonymizer.sh's quasi-identifiers (keys of two words at
// the bottom of the lattice on a generated table of 100,000 rows).
var popQIs = []string{"姓名", "出生日期", "性别", "行政区划", "职业", "学历", "收入", "诊断"}

// TestBuildBottomPar_SameClassesAsSerial checks that the parallel,
// partitioned grouping of the original data makes the classes the serial
// one makes (the same keys with the same counts, each row in the class of
// its key), with keys of one and of two words.
func TestBuildBottomPar_SameClassesAsSerial(t *testing.T) {
	tab := SynthesizeTable(partitionMin+5000, 5)
	for _, qi := range [][]string{popQIs, {"性别", "学历", "职业"}} {
		cfg := Config{QuasiIdentifiers: qi, Hierarchies: popHierarchies(t, tab), Models: Models{K: 5, Suppression: 0.05}}
		if err := cfg.validate(tab); err != nil {
			t.Fatal(err)
		}
		dims, sens, stride, err := prepare(tab, cfg)
		if err != nil {
			t.Fatal(err)
		}
		lt := newLattice(dims)
		ser, par := buildBottom(tab, lt, sens, stride), buildBottomPar(tab, lt, sens, stride)
		w := lt.words
		if par.bottom.classes() != ser.bottom.classes() {
			t.Fatalf("%d QIs: %d classes in parallel, %d serially", len(qi), par.bottom.classes(), ser.bottom.classes())
		}
		count := map[[2]uint64]int32{}
		keyOf := func(f *freqSet, c int32) [2]uint64 {
			var k [2]uint64
			copy(k[:], f.keys[int(c)*w:int(c)*w+w])
			return k
		}
		for c := range ser.bottom.classes() {
			count[keyOf(ser.bottom, int32(c))] = ser.bottom.counts[c]
		}
		for c := range par.bottom.classes() {
			if k := keyOf(par.bottom, int32(c)); count[k] != par.bottom.counts[c] {
				t.Fatalf("%d QIs: class %v has %d rows in parallel, %d serially", len(qi), k, par.bottom.counts[c], count[k])
			}
		}
		for r := range tab.Rows() {
			if a, b := keyOf(ser.bottom, ser.rowClass[r]), keyOf(par.bottom, par.rowClass[r]); a != b {
				t.Fatalf("%d QIs: row %d in class %v in parallel, %v serially", len(qi), r, b, a)
			}
			// the same numbering too: classes by first occurrence
			if ser.rowClass[r] != par.rowClass[r] {
				t.Fatalf("%d QIs: row %d in class number %d in parallel, %d serially", len(qi), r, par.rowClass[r], ser.rowClass[r])
			}
		}
		t.Logf("%d QIs, %d words: %d classes", len(qi), w, par.bottom.classes())
	}
}

// TestTopDown_RaisedFloorsSameOptimumAndRelease checks that raising the
// floor level by level (raiseFloor, with its tags) and the parallel bottom
// change neither the optimum of the top-down search nor the release, byte
// for byte, on a generated table large enough for partitioned roll-ups and
// (the bound lowered) pair projections, under the bench's policy: the
// search as it was (first floor only, serial bottom), with floors raised,
// and with floors raised but no first floor (so that raiseFloor narrows
// the original data's two-word keys, as on 10 M rows).
func TestTopDown_RaisedFloorsSameOptimumAndRelease(t *testing.T) {
	if testing.Short() {
		t.Skip("anonymizes 100,000 rows three times")
	}
	tab := SynthesizeTable(100000, 19)
	cfg := Config{QuasiIdentifiers: popQIs, Drop: []string{"身份证号"}, Hierarchies: popHierarchies(t, tab),
		Models: Models{K: 5, Suppression: 0.05}}
	if err := cfg.validate(tab); err != nil {
		t.Fatal(err)
	}
	type result struct {
		levels     []int
		suppressed int64
		sha        string
	}
	var want result
	for i, mode := range []string{"as before", "floors raised", "floors raised, no first floor"} {
		dims, sens, stride, err := prepare(tab, cfg)
		if err != nil {
			t.Fatal(err)
		}
		lt := newLattice(dims)
		e := buildBottom(tab, lt, sens, stride)
		if i > 0 {
			e = buildBottomPar(tab, lt, sens, stride)
		}
		s := newSearcher(e, cfg.Models, cfg.Metric, nil)
		s.skipEstimated, s.noFloor, s.noFirstFloor, s.pairMin = true, i == 0, i == 2, 1000
		g, err := s.greedy(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		best, err := s.topDown(context.Background(), g)
		if err != nil || best == nil {
			t.Fatalf("%s: %v %v", mode, best, err)
		}
		res := release(tab, cfg, e, s, best.levels)
		h := sha256.New()
		if err := WriteTable(h, res.Table, FormatCSV, WriteOptions{}); err != nil {
			t.Fatal(err)
		}
		got := result{best.levels, best.suppressed, hex.EncodeToString(h.Sum(nil))}
		t.Logf("%s: levels %v suppressed %d score %.6f checked %d work %d floors %d release %s",
			mode, best.levels, best.suppressed, best.score, s.checked, e.work, s.floors, got.sha[:12])
		if i == 0 {
			want = got
			continue
		}
		if i == 2 && s.floors == 0 {
			t.Errorf("%s: no floor was raised: the test proves nothing of raiseFloor", mode)
		}
		if !slices.Equal(got.levels, want.levels) || got.suppressed != want.suppressed || got.sha != want.sha {
			t.Fatalf("%s: optimum %v (%d suppressed, release %s), as before %v (%d, %s)",
				mode, got.levels, got.suppressed, got.sha, want.levels, want.suppressed, want.sha)
		}
	}
}
