package anonymizer

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestGeneralizeCheck_DistinctMatchesHistograms evaluates every node of
// random tables twice, once with the classes' sensitive histograms summed
// (generalize) and once with their distinct values counted up to l
// (generalizeCheck), for distinct l-diversity with l = 1…4 on one and two
// sensitive attributes, from the original data, from a node below with
// histograms and from the same node as a hub with distinct values only:
// the outliers, suppressed records and scores must be the same.
func TestGeneralizeCheck_DistinctMatchesHistograms(t *testing.T) {
	var compared, differ int
	for seed := uint64(1); seed <= 6; seed++ {
		r := rand.New(rand.NewPCG(seed, 19))
		tab, hs := randomTable(r, 40+r.IntN(400))
		for _, sensitive := range [][]string{{"disease"}, {"disease", "income"}} {
			for _, l := range []float64{1, 2, 2.5, 3, 4} {
				m := Models{K: 2, L: &LDiversity{Kind: LDistinct, L: l}, Suppression: 0.1}
				cfg := Config{QuasiIdentifiers: []string{"age", "zip", "sex"}, Sensitive: sensitive, Hierarchies: hs, Models: m}
				if err := cfg.validate(tab); err != nil {
					t.Fatal(err)
				}
				dims, sens, stride, err := prepare(tab, cfg)
				if err != nil {
					t.Fatal(err)
				}
				need := distinctNeed(m, sens)
				if need == 0 {
					t.Fatalf("l = %v: no shortcut", l)
				}
				lt := newLattice(dims)
				e := buildBottom(tab, lt, sens, stride)
				s := newSearcher(e, m, MetricLoss, nil)
				mid := e.generalize(e.bottom, []int{1, 0, 0}, &s.ht, nil)
				// a hub below, carrying distinct values instead of histograms
				hub := e.generalizeHub(e.bottom, []int{1, 0, 0}, &s.ht, 0, need)
				if hub.distinct == nil || hub.hist != nil {
					t.Fatal("the hub kept histograms")
				}
				levels := make([]int, len(dims))
				for id := 0; id < int(lt.size); id++ {
					lt.levelsOf(id, levels)
					srcs := []*freqSet{e.bottom}
					if levels[0] >= 1 {
						srcs = append(srcs, mid, hub)
					}
					for _, src := range srcs {
						withHist := src
						if src == hub { // same classes, in the same order, as mid's
							withHist = mid
						}
						full := s.evaluate(e.generalize(withHist, levels, &s.ht, nil), true)
						f := e.generalizeCheck(src, levels, &s.ht, 0, need)
						if f.distinct == nil || f.hist != nil {
							t.Fatalf("node %v: the check roll-up kept histograms", levels)
						}
						short := s.evaluate(f, true)
						compared++
						if !slices.Equal(full.outliers, short.outliers) || full.suppressed != short.suppressed ||
							full.feasible != short.feasible || full.score != short.score {
							t.Fatalf("seed %d, %v, l = %v, node %v from %v: histograms give %d outliers (%d records, feasible %v, score %v), distinct counts %d (%d, %v, %v)",
								seed, sensitive, l, levels, src.levels, len(full.outliers), full.suppressed, full.feasible, full.score,
								len(short.outliers), short.suppressed, short.feasible, short.score)
						}
						if len(full.outliers) > 0 && len(full.outliers) < f.classes() {
							differ++
						}
					}
				}
			}
		}
	}
	if differ == 0 {
		t.Fatalf("no node had both diverse and non-diverse classes in %d comparisons: the test proves nothing", compared)
	}
	t.Logf("%d nodes compared, %d with both kinds of class", compared, differ)
}
