package anonymizer

import (
	"math"
	"math/bits"
	"slices"
	"sort"
)

// The earth mover's distance of t-closeness sums over every value of the
// sensitive attribute, present in the class or not (denseDistance): a class
// of five records costs as much as the table's whole value space, and ten
// million records with 100,000 distinct incomes make millions of classes ×
// 100,000 values. Under the equal and the ordered ground distances the
// values absent from a class contribute what the reference alone decides,
// so the distance is computed from the values present (sparseDistance): the
// equal distance from their terms and the reference mass they leave out;
// the ordered distance from prefix sums of the reference over the values'
// ranks (rankSums), in O(t log m) for t values present of m.

// rankSums are prefix sums of a reference distribution q over the values'
// ranks (byRank order): Q[r] is the mass of the r lowest values and S[x]
// the sum of Q[1..x], so that the cumulative differences of a class over a
// run of ranks where it has no value are summed in closed form. Both are
// summed with compensation (Neumaier): S reaches m, and plain sums would
// lose the last digits the distance's 1e-12 tolerance relies on.
type rankSums struct {
	rank []int32   // code → rank
	Q    []float64 // len m+1
	S    []float64 // len m+1
}

func newRankSums(byRank []int, q []float64) *rankSums {
	m := len(byRank)
	rs := &rankSums{rank: make([]int32, m), Q: make([]float64, m+1), S: make([]float64, m+1)}
	var qs, qc, ss, sc float64
	for r, code := range byRank {
		rs.rank[code] = int32(r)
		qs, qc = neumaier(qs, qc, q[code])
		rs.Q[r+1] = qs + qc
		ss, sc = neumaier(ss, sc, rs.Q[r+1])
		rs.S[r+1] = ss + sc
	}
	return rs
}

// set recomputes the sums for another reference over the same values.
func (rs *rankSums) set(byRank []int, q []float64) {
	var qs, qc, ss, sc float64
	for r, code := range byRank {
		qs, qc = neumaier(qs, qc, q[code])
		rs.Q[r+1] = qs + qc
		ss, sc = neumaier(ss, sc, rs.Q[r+1])
		rs.S[r+1] = ss + sc
	}
}

// neumaier adds x to the compensated sum (s, c).
func neumaier(s, c, x float64) (float64, float64) {
	t := s + x
	if math.Abs(s) >= math.Abs(x) {
		c += (s - t) + x
	} else {
		c += (x - t) + s
	}
	return t, c
}

// sparseOrdered reports whether the ordered distance of a class with t
// values present of m is cheaper from the values present: t log t to sort
// their ranks and a binary search per run, against m steps.
func sparseOrdered(t, m int) bool {
	return 4*t*bits.Len(uint(m)) < m
}

// orderedSparse is the ordered distance (denseDistance's TOrdered) of the
// class whose values present are keys (offset by off) with cnts, n records
// in all, from the reference whose rank sums are rs. ranks is scratch.
func orderedSparse(rs *rankSums, off int, n int32, keys, cnts []int32, ranks []rankCount) (float64, []rankCount) {
	m := len(rs.rank)
	ranks = ranks[:0]
	for i, k := range keys {
		ranks = append(ranks, rankCount{rs.rank[int(k)-off], cnts[i]})
	}
	slices.SortFunc(ranks, func(a, b rankCount) int { return int(a.rank) - int(b.rank) })
	total := float64(n)
	var emd float64
	var seen int64 // records of the class at ranks below a
	a := 0
	for _, x := range ranks {
		r := int(x.rank)
		emd += rs.run(a, r-1, float64(seen)/total)
		seen += int64(x.cnt)
		a = r
	}
	emd += rs.run(a, m-1, float64(seen)/total)
	return emd / float64(m-1), ranks
}

// rankCount is one value present in a class: its rank and its records.
type rankCount struct {
	rank int32
	cnt  int32
}

// run is Σ_{j=a..b} |p − Q[j+1]|: the class's cumulative share p is
// constant over ranks a..b (it has values at none of a+1..b), the
// reference's grows, so the terms are p − Q[j+1] up to the first rank J
// where Q[J+1] > p and Q[j+1] − p from there.
func (rs *rankSums) run(a, b int, p float64) float64 {
	if a > b {
		return 0
	}
	// J: the first j in [a, b] with Q[j+1] > p (b+1 when none)
	J := a + sort.Search(b-a+1, func(i int) bool { return rs.Q[a+i+1] > p })
	below := p*float64(J-a) - (rs.S[J] - rs.S[a])
	above := (rs.S[b+1] - rs.S[J]) - p*float64(b+1-J)
	return below + above
}

// equalSparse is the equal distance (½ Σ |pᵢ − qᵢ|) of the class whose
// values present are keys (offset by off) with cnts, n records in all:
// each value absent contributes its reference mass qᵢ, together 1 − the
// mass of the values present.
func equalSparse(q []float64, off int, n int32, keys, cnts []int32) float64 {
	total := float64(n)
	var emd, in float64
	for i, k := range keys {
		qi := q[int(k)-off]
		emd += math.Abs(float64(cnts[i])/total - qi)
		in += qi
	}
	return (emd + math.Max(0, 1-in)) / 2
}
