package anonymizer

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// t-closeness from the values present agrees with the sum over every value
// (denseDistance) to well within the 1e-12 the check allows, for the equal
// and the ordered distance, from the table's reference and from a released
// records' one, on value spaces of 2 to 100,000 values, with values the
// reference lacks and classes of one value to most of them.
func TestDistance_FromValuesPresentMatchesEveryValue(t *testing.T) {
	rng := rand.New(rand.NewPCG(29, 31))
	var few, many int // ordered classes whose ranks were sorted, or marked
	for _, m := range []int{2, 3, 50, 5000, 100_000} {
		for _, dist := range []TDistance{TOrdered, TEqual} {
			s := &sensAttr{name: "收入", m: m, off: 7, dist: dist, q: make([]float64, m), byRank: rng.Perm(m)}
			var total float64
			for i := range s.q {
				if rng.IntN(5) > 0 { // a fifth of the values absent from the reference
					s.q[i] = rng.Float64() * rng.Float64()
					total += s.q[i]
				}
			}
			for i := range s.q {
				s.q[i] /= total
			}
			s.sums = newRankSums(s.byRank, s.q)
			ck := newChecker(Models{T: 0.2, TDistance: dist}, []*sensAttr{s})
			for _, released := range []bool{false, true} {
				q := s.q
				if released {
					// another reference over the same values, as
					// setReleasedReference makes it
					q = make([]float64, m)
					for i := range q {
						q[i] = s.q[(i+1)%m]
					}
					ck.ref = [][]float64{q}
					ck.refSums = []*rankSums{newRankSums(s.byRank, s.q)}
					ck.refSums[0].set(s.byRank, q)
				}
				for trial := range 40 {
					present := 1 + rng.IntN(min(m, []int{3, 40, m}[trial%3]))
					keys, cnts, n := randomClass(rng, m, present, s.off)
					if dist == TOrdered && manyOf(len(keys), m) {
						many++
					} else if dist == TOrdered {
						few++
					}
					distanceAgrees(t, ck, q, n, keys, cnts, 1e-13, fmt.Sprintf("%s distance, %d values, released %v", dist, m, released))
				}
				ck.ref, ck.refSums = nil, nil
			}
		}
	}
	if few == 0 || many == 0 {
		t.Fatalf("ordered classes with ranks sorted %d, marked %d: a way was never taken, the test proves nothing", few, many)
	}
}

// distanceAgrees fails t unless ck's distance of attribute 0 for the class
// (keys, cnts; n records) is within tol of the pass over every value from
// reference q (denseDistance).
func distanceAgrees(t *testing.T, ck *checker, q []float64, n int32, keys, cnts []int32, tol float64, what string) {
	t.Helper()
	s := ck.sens[0]
	got := ck.distance(0, n, keys, cnts)
	dense := make([]int32, s.m)
	for i, k := range keys {
		dense[int(k)-s.off] = cnts[i]
	}
	if want := ck.denseDistance(s, q, n, dense); math.Abs(got-want) > tol || math.IsNaN(got) {
		t.Fatalf("%s, %d values present: %v, over every value %v", what, len(keys), got, want)
	}
}

// randomClass draws a class with present distinct values of m (keys
// offset by off, ascending) and 1–20 records each.
func randomClass(rng *rand.Rand, m, present, off int) (keys, cnts []int32, n int32) {
	seen := map[int]bool{}
	for len(seen) < present {
		seen[rng.IntN(m)] = true
	}
	for v := range m {
		if seen[v] {
			c := int32(1 + rng.IntN(20))
			keys, cnts, n = append(keys, int32(v+off)), append(cnts, c), n+c
		}
	}
	return keys, cnts, n
}

func BenchmarkDistance_Ordered(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 1))
	const m = 100_000
	s := &sensAttr{name: "收入", m: m, dist: TOrdered, q: make([]float64, m), byRank: rng.Perm(m)}
	for i := range s.q {
		s.q[i] = 1.0 / m
	}
	s.sums = newRankSums(s.byRank, s.q)
	ck := newChecker(Models{T: 0.2, TDistance: TOrdered}, []*sensAttr{s})
	for _, present := range []int{5, 500, 20000} {
		keys, cnts, n := randomClass(rng, m, present, 0)
		b.Run(fmt.Sprintf("present=%d", present), func(b *testing.B) {
			for b.Loop() {
				ck.distance(0, n, keys, cnts)
			}
		})
	}
}

// The hierarchical distance over the ancestors of the values present
// agrees with the pass over every node (hierDistance), from the table's
// reference and from another, on hierarchies of 2 to 3 levels above 20 to
// 20,000 values.
func TestDistance_HierarchicalFromValuesPresentMatchesEveryNode(t *testing.T) {
	rng := rand.New(rand.NewPCG(37, 41))
	var sparse int
	for _, m := range []int{20, 2000, 20000} {
		for _, height := range []int{2, 3} {
			tab := MustTable([]string{"诊断"})
			var rows [][]string
			for v := range m {
				row := []string{fmt.Sprintf("v%05d", v), fmt.Sprintf("g%04d", v/10)}
				if height == 3 {
					row = append(row, fmt.Sprintf("h%03d", v/100))
				}
				rows = append(rows, append(row, "*"))
				for range 1 + rng.IntN(3) {
					if err := tab.AppendRow([]string{row[0]}, tab.Rows()+2); err != nil {
						t.Fatal(err)
					}
				}
			}
			h, err := NewHierarchy("诊断", rows)
			if err != nil {
				t.Fatal(err)
			}
			s, err := newSensAttr(tab, 0, h, THierarchical)
			if err != nil {
				t.Fatal(err)
			}
			s.off = 3
			ck := newChecker(Models{T: 0.3, TDistance: THierarchical}, []*sensAttr{s})
			for _, released := range []bool{false, true} {
				q := s.q
				if released {
					q = make([]float64, m)
					for i := range q {
						q[i] = s.q[(i*7+1)%m]
					}
					ck.ref = [][]float64{q}
					ck.refMass = [][][]float64{hierMass(s.hdim, q)}
				}
				for trial := range 40 {
					present := 1 + rng.IntN(min(m, []int{3, 30, m}[trial%3]))
					keys, cnts, n := randomClass(rng, m, present, s.off)
					if sparseHier(len(keys), s.hdim) {
						sparse++
					}
					distanceAgrees(t, ck, q, n, keys, cnts, 1e-12, fmt.Sprintf("%d values, height %d, released %v", m, height, released))
				}
				ck.ref, ck.refMass = nil, nil
			}
		}
	}
	if sparse == 0 {
		t.Fatal("no class took the hierarchical distance from its values present: the test proves nothing")
	}
}
