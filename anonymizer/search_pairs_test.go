package anonymizer

import (
	"math/rand/v2"
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
