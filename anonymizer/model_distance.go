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
// so the distance is computed from the values present (checker.distance):
// the equal distance from their terms and the reference mass they leave out;
// the ordered distance from prefix sums of the reference over the values'
// ranks (rankSums), in O(t log m) for t values present of m (and a pass
// over m/64 words when t is large).

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
	for r, code := range byRank {
		rs.rank[code] = int32(r)
	}
	rs.set(byRank, q)
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

// ordScratch is orderedSparse's scratch: the values present as ranks and
// counts (few of them, sorted), or a count per rank and a bitSet of ranks
// (many of them), zero between calls.
type ordScratch struct {
	ranks []rankCount
	cnt   []int32
	set   bitSet
}

// orderedSparse is the ordered distance (denseDistance's TOrdered) of the
// class whose values present are keys (offset by off) with cnts, n records
// in all, from the reference whose rank sums are rs.
func orderedSparse(rs *rankSums, off int, n int32, keys, cnts []int32, sc *ordScratch) float64 {
	m := len(rs.rank)
	total := float64(n)
	var emd float64
	var seen int64 // records of the class at ranks below a
	a := 0
	step := func(r int32, c int32) {
		emd += rs.run(a, int(r)-1, float64(seen)/total)
		seen += int64(c)
		a = int(r)
	}
	if manyOf(len(keys), m) {
		if len(sc.cnt) < m {
			sc.cnt = make([]int32, m)
		}
		sc.set = sc.set.sized(m)
		for i, k := range keys {
			r := rs.rank[int(k)-off]
			sc.cnt[r] = cnts[i]
			sc.set.add(r)
		}
		sc.set.drain(func(r int32) {
			step(r, sc.cnt[r])
			sc.cnt[r] = 0
		})
	} else {
		sc.ranks = sc.ranks[:0]
		for i, k := range keys {
			sc.ranks = append(sc.ranks, rankCount{rs.rank[int(k)-off], cnts[i]})
		}
		slices.SortFunc(sc.ranks, func(a, b rankCount) int { return int(a.rank) - int(b.rank) })
		for _, x := range sc.ranks {
			step(x.rank, x.cnt)
		}
	}
	emd += rs.run(a, m-1, float64(seen)/total)
	return emd / float64(m-1)
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
	// J: the first j in [a, b] with Q[j+1] > p (b+1 when none); runs
	// between the values of a class of many values are short
	J := a
	if b-a < 16 {
		for J <= b && rs.Q[J+1] <= p {
			J++
		}
	} else {
		J += sort.Search(b-a+1, func(i int) bool { return rs.Q[a+i+1] > p })
	}
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

// The hierarchical distance (hierDistance) moves, at each internal node of
// the hierarchy, the smaller of its children's positive and negative
// surplus. A node with no value of the class below it has only negative
// surplus (its reference mass): it moves nothing and passes its mass up.
// So only the ancestors of the class's values need visiting, each with the
// reference mass of its subtree (hierMass) to account for the children the
// class leaves empty: O(t × height) for t values present.

// hierMass is the reference mass below each hierarchy node: mass[l][node]
// for the nodes of level l of the encoded hierarchy d.
func hierMass(d *dim, q []float64) [][]float64 {
	mass := make([][]float64, d.height+1)
	for l := range mass {
		mass[l] = make([]float64, len(d.labels[l]))
	}
	setHierMass(d, q, mass)
	return mass
}

// setHierMass recomputes mass for another reference q.
func setHierMass(d *dim, q []float64, mass [][]float64) {
	for l := range mass {
		clear(mass[l])
	}
	for code, x := range q {
		mass[0][d.gen[0][code]] += x
	}
	for l := 1; l <= d.height; l++ {
		for child, x := range mass[l-1] {
			mass[l][d.up[l-1][child]] += x
		}
	}
}

// sparseHier reports whether the hierarchical distance of a class with t
// values present is cheaper over their ancestors than over every node.
func sparseHier(t int, d *dim) bool {
	return 4*t*(d.height+1)*bits.Len(uint(t)) < len(d.labels[0])
}

// hierNode is a hierarchy node with values of the class below it: its
// code at its level, its surplus (class share − reference share) and its
// reference mass.
type hierNode struct {
	node  int32
	extra float64
	mass  float64
}

// hierSparse is hierDistance over the ancestors of the values present
// (keys offset by off, cnts; n records), mass the reference's hierMass;
// nodes is scratch.
func hierSparse(d *dim, q []float64, mass [][]float64, off int, n int32, keys, cnts []int32, nodes []hierNode) (float64, []hierNode) {
	if d.height == 0 {
		return 0, nodes
	}
	total := float64(n)
	nodes = nodes[:0]
	for i, k := range keys {
		code := int(k) - off
		leaf := d.gen[0][code]
		nodes = append(nodes, hierNode{leaf, float64(cnts[i])/total - q[code], mass[0][leaf]})
	}
	var cost float64
	for l := 1; l <= d.height; l++ {
		up := d.up[l-1]
		for i := range nodes {
			nodes[i].node = up[nodes[i].node] // now the parent, at level l
		}
		slices.SortFunc(nodes, func(a, b hierNode) int { return int(a.node) - int(b.node) })
		w := 0
		for i := 0; i < len(nodes); {
			v := nodes[i].node
			var pos, neg, below float64
			j := i
			for ; j < len(nodes) && nodes[j].node == v; j++ {
				if x := nodes[j].extra; x > 0 {
					pos += x
				} else {
					neg -= x
				}
				below += nodes[j].mass
			}
			// the children without values of the class: their mass
			neg += math.Max(0, mass[l][v]-below)
			cost += float64(l) / float64(d.height) * math.Min(pos, neg)
			nodes[w] = hierNode{v, pos - neg, mass[l][v]}
			w++
			i = j
		}
		nodes = nodes[:w]
	}
	return cost, nodes
}
