package anonymizer

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// pruneConfigs are models under which the class-count bound and the pair
// projections fire on small random tables (which are almost unique on their
// three quasi-identifiers at the bottom of the lattice), monotone or not.
func pruneConfigs(t *testing.T) []Models {
	l, err := ParseLDiversity("distinct:2")
	if err != nil {
		t.Fatal(err)
	}
	ent, err := ParseLDiversity("entropy:1.5")
	if err != nil {
		t.Fatal(err)
	}
	rec, err := ParseLDiversity("recursive:3,2")
	if err != nil {
		t.Fatal(err)
	}
	return []Models{
		{K: 2}, {K: 3, Suppression: 0.02}, {K: 5, Suppression: 0.1}, {K: 4, Suppression: 0.3},
		{K: 8, Suppression: 0.05}, {K: 2, L: &l, Suppression: 0.1}, {L: &l, Suppression: 0.2},
		// not monotone with records suppressed: only the classes' sizes tag
		{K: 3, L: &ent, Suppression: 0.1}, {L: &rec, Suppression: 0.2},
		{K: 2, T: 0.3, TDistance: TEqual, Suppression: 0.1}, {K: 4, T: 0.25, TDistance: THierarchical, Suppression: 0.2},
	}
}

// TestPruning_RulesHoldOnEveryNode checks the two infeasibility tests
// against the definition on every node of random lattices: a node with more
// classes than classBound, or with a pair projection whose small groups
// exceed the suppression limit or whose groups exceed classBound, is never
// feasible.
func TestPruning_RulesHoldOnEveryNode(t *testing.T) {
	var boundFired, pairFired int
	for seed := uint64(1); seed <= 8; seed++ {
		r := rand.New(rand.NewPCG(seed, 11))
		tab, hs := randomTable(r, 30+r.IntN(300))
		for _, m := range pruneConfigs(t) {
			cfg := Config{QuasiIdentifiers: []string{"age", "zip", "sex"}, Sensitive: []string{"disease"}, Hierarchies: hs, Models: m}
			if err := cfg.validate(tab); err != nil {
				t.Fatal(err)
			}
			dims, sens, stride, err := prepare(tab, cfg)
			if err != nil {
				t.Fatal(err)
			}
			lt := newLattice(dims)
			e := buildBottom(tab, lt, sens, stride)
			s := newSearcher(e, m, MetricLoss, nil)
			cache := newFreqCache(e)
			pt := newPairTests(nil, 0)
			levels := make([]int, len(dims))
			for id := 0; id < int(lt.size); id++ {
				lt.levelsOf(id, levels)
				f := e.generalize(e.bottom, levels, &s.ht, nil)
				n := s.evaluate(f, true)
				over := s.maxClasses > 0 && f.classes() > s.maxClasses
				pair := s.pairViolates(levels, pt, cache)
				if over {
					boundFired++
				}
				if pair {
					pairFired++
				}
				if n.feasible && (over || pair) {
					t.Fatalf("seed %d, %v, suppression %v, node %v: feasible (%d classes, %d suppressed), yet class bound %d fired %v, pair test fired %v",
						seed, m.Strings(), m.Suppression, levels, f.classes(), n.suppressed, s.maxClasses, over, pair)
				}
				if over {
					if g := e.generalizeUpTo(e.bottom, levels, &s.ht, nil, s.maxClasses); g != nil {
						t.Fatalf("node %v: %d classes > %d, yet the bounded roll-up completed", levels, f.classes(), s.maxClasses)
					}
				}
			}
		}
	}
	t.Logf("class bound fired on %d nodes, pair tests on %d", boundFired, pairFired)
	if boundFired == 0 || pairFired == 0 {
		t.Fatalf("the tests never fired (class bound %d, pair %d nodes): the test proves nothing", boundFired, pairFired)
	}
}

// TestPruning_TopDownMatchesBruteForce runs the top-down search over the
// whole lattice (no greedy seed, so that every node is a candidate and the
// bound, the pair tests and the hubs all fire) and compares it with brute
// force, on random tables and with every metric.
func TestPruning_TopDownMatchesBruteForce(t *testing.T) {
	var aborted, pruned int64
	metrics := []Metric{MetricLoss, MetricPrecision, MetricDiscernibility, MetricEntropy}
	for seed := uint64(1); seed <= 8; seed++ {
		r := rand.New(rand.NewPCG(seed, 13))
		tab, hs := randomTable(r, 30+r.IntN(300))
		for _, m := range pruneConfigs(t) {
			for _, metric := range metrics {
				cfg := Config{QuasiIdentifiers: []string{"age", "zip", "sex"}, Sensitive: []string{"disease"}, Hierarchies: hs, Models: m, Metric: metric}
				want := bruteForce(t, tab, cfg)
				dims, sens, stride, err := prepare(tab, cfg)
				if err != nil {
					t.Fatal(err)
				}
				e := buildBottom(tab, newLattice(dims), sens, stride)
				s := newSearcher(e, m, metric, nil)
				s.pairMin = 0 // small tables: try the pairs all the same
				got, err := s.topDown(context.Background(), nil)
				if err != nil {
					t.Fatal(err)
				}
				aborted += s.aborted
				pruned += s.pruned
				name := fmt.Sprintf("seed %d, %v, suppression %v, %s", seed, m.Strings(), m.Suppression, metric)
				switch {
				case want == nil && got == nil:
				case want == nil || got == nil:
					t.Errorf("%s: top-down %v, brute force %v", name, got, want)
				case fmt.Sprint(got.levels) != fmt.Sprint(want.levels) || got.suppressed != want.suppressed:
					t.Errorf("%s: top-down %v (%d suppressed, %v), brute force %v (%d suppressed, %v)",
						name, got.levels, got.suppressed, got.score, want.levels, want.suppressed, want.score)
				}
			}
		}
	}
	t.Logf("roll-ups aborted %d, nodes pruned by pairs %d", aborted, pruned)
	if aborted == 0 || pruned == 0 {
		t.Fatalf("roll-ups aborted %d, nodes pruned by pairs %d: a rule never fired, the test proves nothing", aborted, pruned)
	}
}

// TestGroupPartitioned_MatchesMap compares the partitioned grouping with a
// map, with and without a class limit.
func TestGroupPartitioned_MatchesMap(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	for _, distinct := range []int{10, 5000, 150000} {
		n := 3*partitionMin + r.IntN(1000)
		keys := make([]uint64, n)
		counts := make([]int32, n)
		want := map[uint64]int32{}
		for i := range keys {
			keys[i] = uint64(r.IntN(distinct)) * 0x10001
			counts[i] = int32(1 + r.IntN(3))
			want[keys[i]] += counts[i]
		}
		var h hashTable
		out := &freqSet{}
		remap := make([]int32, n)
		if !h.groupPartitioned(out, keys, counts, remap, n) {
			t.Fatal("gave up below its limit")
		}
		if out.classes() != len(want) {
			t.Fatalf("%d distinct keys: %d classes, want %d", distinct, out.classes(), len(want))
		}
		for c, k := range out.keys {
			if out.counts[c] != want[k] {
				t.Fatalf("key %d: count %d, want %d", k, out.counts[c], want[k])
			}
		}
		for i, k := range keys {
			if out.keys[remap[i]] != k {
				t.Fatalf("key %d remapped to class %d of key %d", k, remap[i], out.keys[remap[i]])
			}
		}
		if len(want) > 1 && h.groupPartitioned(&freqSet{}, keys, counts, nil, len(want)-1) {
			t.Fatalf("%d classes: did not give up at limit %d", len(want), len(want)-1)
		}
		// The size stop: with the records in classes under minSize exactly
		// at its limit, complete; with one fewer allowed, given up.
		const minSize = 20
		var small int64
		for _, c := range want {
			if c < minSize {
				small += int64(c)
			}
		}
		h.stop = &sizeStop{min: minSize, most: small}
		if !h.groupPartitioned(&freqSet{}, keys, counts, nil, n) {
			t.Fatalf("%d distinct keys: gave up with %d records in small classes, allowed %d", distinct, small, small)
		}
		h.stop.most = small - 1
		if small > 0 && h.groupPartitioned(&freqSet{}, keys, counts, nil, n) {
			t.Fatalf("%d distinct keys: %d records in small classes, allowed %d: did not give up", distinct, small, small-1)
		}
		h.stop = nil
	}
}

// TestGeneralize_LargeTableMatchesRows rolls a table with more classes than
// partitionMin, whose original keys take two words, up to random nodes, from
// the original data and from a node below, and compares the classes with
// grouping the rows directly.
func TestGeneralize_LargeTableMatchesRows(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	qis := []string{"a", "b", "c", "d", "e"}
	tab := MustTable(qis)
	for i := 0; i < 3*partitionMin; i++ {
		row := []string{fmt.Sprintf("%06d", r.IntN(300000)), fmt.Sprintf("%06d", r.IntN(300000)),
			fmt.Sprintf("%06d", r.IntN(300000)), fmt.Sprintf("%06d", r.IntN(300000)), fmt.Sprint(r.IntN(4))}
		if err := tab.AppendRow(row, i+2); err != nil {
			t.Fatal(err)
		}
	}
	hs := map[string]*Hierarchy{}
	for _, name := range qis[:4] {
		h, err := GenerateHierarchy("mask:3", tab.Column(name).Dict)
		if err != nil {
			t.Fatal(err)
		}
		hs[name] = h
	}
	cfg := Config{QuasiIdentifiers: qis, Hierarchies: hs, Models: Models{K: 2}}
	if err := cfg.validate(tab); err != nil {
		t.Fatal(err)
	}
	dims, sens, stride, err := prepare(tab, cfg)
	if err != nil {
		t.Fatal(err)
	}
	lt := newLattice(dims)
	if lt.words < 2 {
		t.Fatalf("original keys take %d word: the test wants two", lt.words)
	}
	e := buildBottom(tab, lt, sens, stride)
	var h hashTable
	levels := make([]int, len(dims))
	for trial := 0; trial < 8; trial++ {
		lt.levelsOf(r.IntN(int(lt.size)), levels)
		want := map[[5]int32]int32{}
		for row := 0; row < tab.Rows(); row++ {
			var k [5]int32
			for i, d := range dims {
				k[i] = d.gen[levels[i]][tab.Columns[d.col].Codes[row]]
			}
			want[k]++
		}
		mid := make([]int, len(levels))
		for i := range levels {
			mid[i] = levels[i] / 2
		}
		ws := []*searcher{newSearcher(e, cfg.Models, MetricLoss, nil), newSearcher(e, cfg.Models, MetricLoss, nil)}
		remap := make([]int32, e.bottom.classes())
		par := e.generalizePar(ws, e.bottom, levels, remap, 0)
		for row := 0; row < tab.Rows(); row++ {
			c := int(remap[e.rowClass[row]])
			for i, d := range dims {
				if got, want := e.code(par, c, i), d.gen[levels[i]][tab.Columns[d.col].Codes[row]]; got != want {
					t.Fatalf("node %v, parallel roll-up: row %d in a class of code %d in %s, want %d", levels, row, got, d.name, want)
				}
			}
		}
		if g := e.generalizePar(ws, e.bottom, levels, nil, par.classes()-1); par.classes() > 1 && g != nil {
			t.Fatalf("node %v: parallel roll-up of %d classes did not give up at %d", levels, par.classes(), par.classes()-1)
		}
		for _, src := range []*freqSet{e.bottom, e.generalize(e.bottom, mid, &h, nil), par} {
			if src == par {
				// the parallel result, rolled up to itself, must keep its classes
				src = e.generalizePar(ws, par, levels, nil, 0)
			}
			f := e.generalize(src, levels, &h, nil)
			if f.classes() != len(want) {
				t.Fatalf("node %v from %v: %d classes, want %d", levels, src.levels, f.classes(), len(want))
			}
			for c := range f.counts {
				var k [5]int32
				for i := range dims {
					k[i] = e.code(f, c, i)
				}
				if f.counts[c] != want[k] {
					t.Fatalf("node %v from %v: class %v has %d records, want %d", levels, src.levels, k, f.counts[c], want[k])
				}
			}
		}
	}
}

func TestPseudonyms_MatchPseudonym(t *testing.T) {
	values := make([]string, 10000)
	for i := range values {
		values[i] = fmt.Sprintf("1380000%04d", i)
	}
	key := []byte("0123456789abcdef")
	for i, p := range pseudonyms(key, values) {
		if want := Pseudonym(key, values[i]); p != want {
			t.Fatalf("%q: %s, want %s", values[i], p, want)
		}
	}
}

// Entropy l-diversity with records suppressed is not monotone: here the
// most general node is infeasible (x's diverse records and y's homogeneous
// ones, merged, are not 2-diverse: the whole table would be suppressed)
// while the original data is feasible (y's two records suppressed). The
// top-down search, checking the general node first, must not tag the
// original data as infeasible for it.
func TestTopDown_NotMonotoneModelsTagOnlyByClassSizes(t *testing.T) {
	tab := MustTable([]string{"a", "s"})
	rows := [][]string{{"x", "p"}, {"x", "p"}, {"x", "p"}, {"x", "p"}, {"x", "p"},
		{"x", "q"}, {"x", "q"}, {"x", "q"}, {"x", "q"}, {"x", "q"}, {"y", "p"}, {"y", "p"}}
	for i, r := range rows {
		if err := tab.AppendRow(r, i+2); err != nil {
			t.Fatal(err)
		}
	}
	h, err := NewHierarchy("a", [][]string{{"x", "*"}, {"y", "*"}})
	if err != nil {
		t.Fatal(err)
	}
	l, err := ParseLDiversity("entropy:2")
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{QuasiIdentifiers: []string{"a"}, Sensitive: []string{"s"}, Hierarchies: map[string]*Hierarchy{"a": h},
		Models: Models{L: &l, Suppression: 0.2}, Metric: MetricLoss}
	if err := cfg.validate(tab); err != nil {
		t.Fatal(err)
	}
	dims, sens, stride, err := prepare(tab, cfg)
	if err != nil {
		t.Fatal(err)
	}
	e := buildBottom(tab, newLattice(dims), sens, stride)
	s := newSearcher(e, cfg.Models, cfg.Metric, nil)
	if top := s.evaluate(e.generalize(e.bottom, []int{1}, &s.ht, nil), true); top.feasible {
		t.Fatalf("the general node is feasible (%d suppressed): the table does not show non-monotonicity", top.suppressed)
	}
	if bottom := s.evaluate(e.bottom, true); !bottom.feasible || bottom.suppressed != 2 {
		t.Fatalf("the original data: feasible %v, %d suppressed; want feasible with y's 2", bottom.feasible, bottom.suppressed)
	}
	got, err := s.topDown(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got == nil || fmt.Sprint(got.levels) != "[0]" {
		t.Fatalf("top-down found %v, want the original data [0]", got)
	}
}

// TestTopDown_LargeTableSizeStopMatchesBruteForce runs the top-down
// search on a table with more classes than partitionMin and pairMinClasses
// (so that checks are grouped by partitions and stop at the size proof, and
// the pair projections run as on large tables), on correlated
// columns so that the optimum lies inside the lattice, and compares it with
// brute force.
func TestTopDown_LargeTableSizeStopMatchesBruteForce(t *testing.T) {
	if testing.Short() {
		t.Skip("a brute force over 150,000 rows")
	}
	r := rand.New(rand.NewPCG(21, 4))
	qis := []string{"a", "b", "c", "d", "e"}
	tab := MustTable(append(slices.Clone(qis), "s"))
	for i := 0; i < 150000; i++ {
		a := r.IntN(1000)
		row := []string{fmt.Sprintf("%03d", a), fmt.Sprintf("%03d", (a+r.IntN(40))%1000), fmt.Sprintf("%03d", r.IntN(1000)),
			fmt.Sprintf("%02d", r.IntN(100)), fmt.Sprint(r.IntN(3)), fmt.Sprint("s", r.IntN(4))}
		if err := tab.AppendRow(row, i+2); err != nil {
			t.Fatal(err)
		}
	}
	hs := map[string]*Hierarchy{}
	for _, name := range qis[:4] {
		h, err := GenerateHierarchy("mask:2", tab.Column(name).Dict)
		if err != nil {
			t.Fatal(err)
		}
		hs[name] = h
	}
	l, err := ParseLDiversity("distinct:2")
	if err != nil {
		t.Fatal(err)
	}
	var stopped, sized int64
	for _, m := range []Models{{K: 5, Suppression: 0.05}, {K: 3, L: &l, Suppression: 0.02}} {
		cfg := Config{QuasiIdentifiers: qis, Sensitive: []string{"s"}, Hierarchies: hs, Models: m, Metric: MetricLoss}
		want := bruteForce(t, tab, cfg)
		dims, sens, stride, err := prepare(tab, cfg)
		if err != nil {
			t.Fatal(err)
		}
		e := buildBottom(tab, newLattice(dims), sens, stride)
		if e.bottom.classes() < max(partitionMin, pairMinClasses) {
			t.Fatalf("%d classes at the bottom: too few for the test", e.bottom.classes())
		}
		s := newSearcher(e, m, MetricLoss, nil)
		got, err := s.topDown(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		stopped += s.aborted
		sized += s.sizeStopped
		if want == nil || got == nil {
			t.Fatalf("%v: top-down found %v, brute force %v", m.Strings(), got != nil, want != nil)
		}
		if fmt.Sprint(got.levels) != fmt.Sprint(want.levels) || got.suppressed != want.suppressed {
			t.Fatalf("%v: top-down %v (%d suppressed), brute force %v (%d suppressed)", m.Strings(), got.levels, got.suppressed, want.levels, want.suppressed)
		}
	}
	t.Logf("checks given up %d (%d by their sizes)", stopped, sized)
	if sized == 0 {
		t.Fatal("no check was given up by its sizes: the test does not exercise the size stop")
	}
}
