package anonymizer

import (
	"bytes"
	"context"
	"math"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
)

// TestGroupPairKeysUpTo_GivesUpAboveItsLimitOnly groups pair keys with and
// without a limit, on few keys (grouped in one table) and on more than
// partitionMin (grouped by partitions): the same groups up to the limit,
// nil above it.
func TestGroupPairKeysUpTo_GivesUpAboveItsLimitOnly(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 8))
	for _, n := range []int{5000, 3 * partitionMin} {
		keys := make([]uint64, n)
		counts := make([]int32, n)
		for i := range keys {
			keys[i] = uint64(r.IntN(n/3))<<32 | uint64(r.IntN(3))
			counts[i] = 1
		}
		var s searcher
		full := s.groupPairKeys(keys, counts, 0, 0, n/3, 3)
		groups := full.classes()
		if groups < 100 {
			t.Fatalf("%d keys: %d groups, too few for the test", n, groups)
		}
		if g := s.groupPairKeysUpTo(keys, counts, 0, 0, n/3, 3, groups-1); g != nil {
			t.Fatalf("%d keys: %d groups, limit %d: not given up", n, groups, groups-1)
		}
		g := s.groupPairKeysUpTo(keys, counts, 0, 0, n/3, 3, groups)
		if g == nil || g.classes() != groups {
			t.Fatalf("%d keys: %d groups, limit %d: given up or %v groups", n, groups, groups, g)
		}
		want := map[uint64]int32{}
		for i, k := range full.keys {
			want[k] = full.counts[i]
		}
		for i, k := range g.keys {
			if want[k] != g.counts[i] {
				t.Fatalf("%d keys: group %x has %d records, want %d", n, k, g.counts[i], want[k])
			}
		}
	}
}

// TestPairGroupUpTo_GivesUpOnlyAboveTheLimit projects a table's original
// data on pairs of quasi-identifiers under limits around each projection's
// number of groups and far from it, exactly and with estimates: given up
// (nil) whenever the groups are more than the limit; else, exactly, the
// projection in full; with estimates, the projection in full or (only
// when the limit is below twice the groups) nil.
func TestPairGroupUpTo_GivesUpOnlyAboveTheLimit(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 2))
	tab, hs := randomTable(r, 40000)
	cfg := Config{QuasiIdentifiers: []string{"age", "zip", "sex", "income"}, Hierarchies: hs, Models: Models{K: 2}}
	e := encodeForTest(t, tab, cfg)
	s := newSearcher(e, cfg.Models, MetricLoss, nil)
	src := e.bottom
	tried := 0
	dims := e.lt.dims
	for a := range dims {
		for b := a + 1; b < len(dims); b++ {
			full := s.pairGroup(src, a, b, 0, 0)
			groups := full.classes()
			want := map[uint64]int32{}
			for i, k := range full.keys {
				want[k] = full.counts[i]
			}
			for _, limit := range []int{groups / 4, groups - 1, groups, groups + 1, 2 * groups} {
				for _, estimate := range []bool{false, true} {
					if limit <= 0 {
						continue
					}
					tried++
					g := s.pairGroupUpTo(src, a, b, 0, 0, limit, estimate)
					switch {
					case g == nil && groups <= limit && (!estimate || limit >= 2*groups):
						t.Fatalf("pair %d,%d: %d groups, limit %d, estimate %v: given up", a, b, groups, limit, estimate)
					case g != nil && groups > limit:
						t.Fatalf("pair %d,%d: %d groups, limit %d, estimate %v: not given up", a, b, groups, limit, estimate)
					case g == nil:
						continue
					}
					if g.classes() != groups {
						t.Fatalf("pair %d,%d, limit %d: %d groups, want %d", a, b, limit, g.classes(), groups)
					}
					for i, k := range g.keys {
						if want[k] != g.counts[i] {
							t.Fatalf("pair %d,%d, limit %d: group %x has %d records, want %d", a, b, limit, k, g.counts[i], want[k])
						}
					}
				}
			}
		}
	}
	if tried == 0 || s.pairEstimated == 0 {
		t.Fatalf("%d limits tried, %d given up on an estimate: the test proves nothing", tried, s.pairEstimated)
	}
	t.Logf("%d limits tried, %d given up on an estimate", tried, s.pairEstimated)
}

// TestPairViolates_WorkersAgreeWithOne tests every node of random tables
// on its pair projections from four workers at once, sharing one set of
// projections (each computed by whichever worker claims it first, the
// others going on with theirs, and rolled up through intermediate bases
// wherever one exists), and from one worker alone, each projection grouped
// from the data: the same answer for every node. Run under -race it also
// checks the claims.
func TestPairViolates_WorkersAgreeWithOne(t *testing.T) {
	fired, intermediate := 0, 0
	for seed := uint64(1); seed <= 4; seed++ {
		r := rand.New(rand.NewPCG(seed, 21))
		tab, hs := randomTable(r, 200+r.IntN(2000))
		m := Models{K: 3 + r.IntN(8), Suppression: 0.02}
		cfg := Config{QuasiIdentifiers: []string{"age", "zip", "sex", "income"}, Hierarchies: hs, Models: m}
		e := encodeForTest(t, tab, cfg)
		lt, dims := e.lt, e.lt.dims
		s := newSearcher(e, m, MetricLoss, nil)
		cache := newFreqCache(e)
		nodes := make([][]int, int(lt.size))
		for id := range nodes {
			nodes[id] = lt.levelsOf(id, make([]int, len(dims)))
		}
		alone := make([]bool, len(nodes))
		pt := newPairTests(nil, 0)
		pt.baseMin = math.MaxInt
		for id, l := range nodes {
			alone[id] = s.pairViolates(l, pt, cache)
		}
		ws := []*searcher{s}
		for range 3 {
			ws = append(ws, &searcher{e: e, models: m, ck: newChecker(m, e.sens), sc: s.sc, metric: s.metric, maxOut: s.maxOut, maxClasses: s.maxClasses})
		}
		shared := newPairTests(nil, 0)
		// through intermediate bases wherever there is one, no pair's
		// base at the floor's levels kept (as when given up on 10 M rows)
		shared.baseMin = 0
		for a := range dims {
			for b := a + 1; b < len(dims); b++ {
				shared.base[[2]int8{int8(a), int8(b)}] = baseDone
			}
		}
		got := make([]bool, len(nodes))
		var next atomic.Int64
		var wg sync.WaitGroup
		for _, w := range ws {
			wg.Go(func() {
				for {
					i := int(next.Add(1) - 1)
					if i >= len(nodes) {
						return
					}
					got[i] = w.pairViolates(nodes[i], shared, cache)
				}
			})
		}
		wg.Wait()
		intermediate += shared.intermediate
		for id := range nodes {
			if got[id] != alone[id] {
				t.Fatalf("seed %d, node %v: %v from four workers, %v from one", seed, nodes[id], got[id], alone[id])
			}
			if alone[id] {
				fired++
			}
		}
	}
	if fired == 0 || intermediate == 0 {
		t.Fatalf("%d nodes proven infeasible by a pair, %d intermediate bases: the test proves nothing", fired, intermediate)
	}
	t.Logf("%d nodes proven infeasible by a pair, %d intermediate bases", fired, intermediate)
}

// encodeForTest checks cfg against tab and encodes tab for its
// quasi-identifiers (the bottom node counted on one core).
func encodeForTest(tb testing.TB, tab *Table, cfg Config) *encoded {
	tb.Helper()
	if err := cfg.validate(tab); err != nil {
		tb.Fatal(err)
	}
	dims, sens, stride, err := prepare(tab, cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return buildBottom(tab, newLattice(dims), sens, stride)
}

// releaseCSV anonymizes tab under cfg and returns the release as CSV,
// with the result.
func releaseCSV(tb testing.TB, tab *Table, cfg Config) ([]byte, *Result) {
	tb.Helper()
	res, err := Anonymize(context.Background(), tab, cfg)
	if err != nil {
		tb.Fatal(err)
	}
	var out bytes.Buffer
	if err := WriteTable(&out, res.Table, FormatCSV, WriteOptions{}); err != nil {
		tb.Fatal(err)
	}
	return out.Bytes(), res
}
