package anonymizer

import (
	"fmt"
	"math"
	"sort"
	"strconv"
)

// sensAttr is a sensitive attribute prepared for l-diversity and t-closeness:
// its values are the column's dictionary codes; q is their distribution over
// the whole input table (t-closeness compares every class with it).
type sensAttr struct {
	name   string
	col    int
	m      int
	off    int // offset of this attribute's counts in a class histogram
	q      []float64
	dist   TDistance
	byRank []int       // ordered distance: codes in ascending order
	sums   *rankSums   // ordered distance: q's prefix sums by rank
	hdim   *dim        // hierarchical distance: the encoded hierarchy
	mass   [][]float64 // hierarchical distance: q's mass below each node
}

// newSensAttr prepares column col of t. h may be nil unless dist is
// hierarchical. TAuto resolves to hierarchical (h given), ordered (all values
// numeric) or equal.
func newSensAttr(t *Table, col int, h *Hierarchy, dist TDistance) (*sensAttr, error) {
	c := t.Columns[col]
	s := &sensAttr{name: c.Name, col: col, m: len(c.Dict), q: make([]float64, len(c.Dict))}
	for _, code := range c.Codes {
		s.q[code]++
	}
	for i := range s.q {
		s.q[i] /= float64(t.Rows())
	}
	nums := make([]float64, len(c.Dict))
	numeric := true
	for i, v := range c.Dict {
		x, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(x) {
			numeric = false
			break
		}
		nums[i] = x
	}
	if dist == TAuto {
		switch {
		case h != nil:
			dist = THierarchical
		case numeric:
			dist = TOrdered
		default:
			dist = TEqual
		}
	}
	s.dist = dist
	s.byRank = make([]int, s.m)
	for i := range s.byRank {
		s.byRank[i] = i
	}
	sort.SliceStable(s.byRank, func(a, b int) bool {
		x, y := s.byRank[a], s.byRank[b]
		if numeric {
			return nums[x] < nums[y]
		}
		return c.Dict[x] < c.Dict[y]
	})
	if dist == TOrdered {
		s.sums = newRankSums(s.byRank, s.q)
	}
	if dist == THierarchical {
		if h == nil {
			return nil, fmt.Errorf("t-closeness on %q: hierarchical distance needs a hierarchy for the sensitive attribute", c.Name)
		}
		d, err := encodeDim(t, col, h)
		if err != nil {
			return nil, err
		}
		s.hdim = d
		s.mass = hierMass(d, s.q)
	}
	return s, nil
}

// checker decides whether one equivalence class satisfies the models.
// It keeps scratch space and is not safe for concurrent use.
type checker struct {
	m       Models
	sens    []*sensAttr
	sorted  []int32
	extra   [][]float64
	dense   []int32 // one attribute's counts by code, for t-closeness; zero between calls
	minSize int32
	// ref, when set, replaces each attribute's q as the reference of
	// t-closeness: the distribution over the records actually released
	// (Config.DropSuppressed; Tianjin Art. 29). noT skips t-closeness.
	ref    [][]float64
	refBuf [][]float64
	// refSums, refMass: the rank sums of ref's ordered attributes and the
	// hierarchy masses of its hierarchical ones (nil for others)
	refSums []*rankSums
	refMass [][][]float64
	noT     bool
	ord     ordScratch // scratch of orderedSparse
	hnodes  []hierNode // scratch of hierSparse
}

func newChecker(m Models, sens []*sensAttr) *checker {
	ck := &checker{m: m, sens: sens, minSize: int32(max(m.K, 1))}
	for _, s := range sens {
		if m.T > 0 && s.m > len(ck.dense) {
			ck.dense = make([]int32, s.m)
		}
		if s.hdim != nil {
			for len(ck.extra) < len(s.hdim.labels) {
				ck.extra = append(ck.extra, nil)
			}
			for l, labels := range s.hdim.labels {
				if len(labels) > len(ck.extra[l]) {
					ck.extra[l] = make([]float64, len(labels))
				}
			}
		}
	}
	return ck
}

// minRecords is the fewest records a class satisfying every model can
// hold: k, and for l-diversity of any kind (each needs at least l distinct
// sensitive values) ⌈l⌉.
func (ck *checker) minRecords() int {
	m := int(ck.minSize)
	if l := ck.m.L; l != nil && len(ck.sens) > 0 {
		m = max(m, int(math.Ceil(l.L-1e-9)))
	}
	return m
}

// ok reports whether a class of size n satisfies every model; keys and
// cnts are the sensitive values present in it (indexes into all
// attributes' values concatenated, ascending) and their counts.
func (ck *checker) ok(n int32, keys, cnts []int32) bool {
	if n < ck.minSize {
		return false
	}
	i := 0
	for a, s := range ck.sens {
		j := i
		for j < len(keys) && int(keys[j]) < s.off+s.m {
			j++
		}
		k, c := keys[i:j], cnts[i:j]
		i = j
		if ck.m.L != nil && !ck.diverse(c) {
			return false
		}
		if ck.m.T > 0 && !ck.noT && ck.distance(a, n, k, c) > ck.m.T+1e-12 {
			return false
		}
	}
	return true
}

// diverse checks l-diversity on the counts of the values present in a
// class, in ascending value order (the order of the sums matters to the
// last bit of the entropy, and releases must not change).
func (ck *checker) diverse(h []int32) bool {
	l := ck.m.L
	switch l.Kind {
	case LDistinct:
		return float64(len(h)) >= l.L
	case LEntropy:
		var total float64
		for _, c := range h {
			total += float64(c)
		}
		var ent float64
		for _, c := range h {
			p := float64(c) / total
			ent -= p * math.Log(p)
		}
		return ent >= math.Log(l.L)-1e-12
	default: // recursive-(c,l)
		ck.sorted = append(ck.sorted[:0], h...)
		ll := int(l.L)
		if len(ck.sorted) < ll {
			return false
		}
		sort.Slice(ck.sorted, func(i, j int) bool { return ck.sorted[i] > ck.sorted[j] })
		var tail float64
		for _, c := range ck.sorted[ll-1:] {
			tail += float64(c)
		}
		return float64(ck.sorted[0]) < l.C*tail
	}
}

// distance is the earth mover's distance between a class's distribution of
// attribute a and its reference (the table's, or the released records'),
// under the attribute's ground distance (Li et al., t-closeness); keys
// (offset by the attribute's off) and cnts are the values present in the
// class, n its records. The equal and the ordered distance, and for
// classes with few values of many the hierarchical one, are computed from
// the values present (model_distance.go); otherwise the counts are spread
// into a dense scratch, cleared again afterwards.
func (ck *checker) distance(a int, n int32, keys, cnts []int32) float64 {
	s := ck.sens[a]
	q := ck.reference(a)
	switch s.dist {
	case TEqual:
		return equalSparse(q, s.off, n, keys, cnts)
	case TOrdered:
		if s.m < 2 {
			return 0
		}
		return orderedSparse(ck.rankSums(a), s.off, n, keys, cnts, &ck.ord)
	case THierarchical:
		if sparseHier(len(keys), s.hdim) {
			mass := s.mass
			if ck.ref != nil {
				mass = ck.refMass[a]
			}
			var d float64
			d, ck.hnodes = hierSparse(s.hdim, q, mass, s.off, n, keys, cnts, ck.hnodes)
			return d
		}
	}
	h := ck.dense[:s.m]
	for i, k := range keys {
		h[int(k)-s.off] = cnts[i]
	}
	d := ck.denseDistance(s, q, n, h)
	for _, k := range keys {
		h[int(k)-s.off] = 0
	}
	return d
}

// rankSums are the rank sums of attribute a's reference: the table's
// (computed once, newSensAttr) or the released records' (set with the
// reference, setReleasedReference).
func (ck *checker) rankSums(a int) *rankSums {
	if ck.ref != nil {
		return ck.refSums[a]
	}
	return ck.sens[a].sums
}

// reference is attribute a's reference distribution of t-closeness: the
// whole table's, or the released records' when ck.ref is set.
func (ck *checker) reference(a int) []float64 {
	if ck.ref != nil {
		return ck.ref[a]
	}
	return ck.sens[a].q
}

// denseDistance is the distance of counts h (n records) from q.
func (ck *checker) denseDistance(s *sensAttr, q []float64, n int32, h []int32) float64 {
	total := float64(n)
	switch s.dist {
	case TOrdered:
		if s.m < 2 {
			return 0
		}
		var cum, emd float64
		for _, code := range s.byRank {
			cum += float64(h[code])/total - q[code]
			emd += math.Abs(cum)
		}
		return emd / float64(s.m-1)
	case THierarchical:
		return ck.hierDistance(s, q, total, h)
	default:
		var emd float64
		for code, c := range h {
			emd += math.Abs(float64(c)/total - q[code])
		}
		return emd / 2
	}
}

// hierDistance: each internal node at level ℓ moves min(positive, negative
// extra) of its children at cost ℓ/H; the node's extra is passed upwards.
func (ck *checker) hierDistance(s *sensAttr, q []float64, total float64, h []int32) float64 {
	d := s.hdim
	if d.height == 0 {
		return 0
	}
	leaf := ck.extra[0][:len(d.labels[0])]
	for code, c := range h {
		leaf[d.gen[0][code]] = float64(c)/total - q[code]
	}
	var cost float64
	for l := 1; l <= d.height; l++ {
		pos := ck.extra[l][:len(d.labels[l])]
		neg := make([]float64, len(pos))
		for i := range pos {
			pos[i] = 0
		}
		for child, x := range ck.extra[l-1][:len(d.labels[l-1])] {
			p := d.up[l-1][child]
			if x > 0 {
				pos[p] += x
			} else {
				neg[p] -= x
			}
		}
		for i := range pos {
			cost += float64(l) / float64(d.height) * math.Min(pos[i], neg[i])
			pos[i] -= neg[i]
		}
	}
	return cost
}
