package anonymizer

import (
	"sync"
)

// pairMinClasses is the fewest classes of the original data for which the
// top-down search tries pair projections: below it (Adult has 20,000) a
// node's roll-up is about as cheap as the projections that might spare it.
const pairMinClasses = 100000

// pairKey names the projection of the data on two quasi-identifiers a < b
// at levels la, lb.
type pairKey struct{ a, b, la, lb int8 }

// pairStat is what the search needs of such a projection: its number of
// groups and the records in groups of fewer than minRecords records.
type pairStat struct {
	groups   int
	outliers int64
}

// pairTests decides, from projections of the data on pairs of
// quasi-identifiers, that nodes violate the models. Every class of a node
// lies inside one group of the node's projection on two of its
// quasi-identifiers (at the node's levels), so
//
//   - a record in a group of fewer than minRecords records is in a class of
//     fewer, which violates the models: when such records number more than
//     the suppression limit, the node is infeasible;
//   - the node has at least as many classes as the projection has groups:
//     more than maxClasses groups make it infeasible.
//
// Projections are computed once (from the smallest cached frequency set
// below them) and shared by all nodes; it is safe for concurrent use. A
// worker never waits for a projection another is computing while it has
// others to compute (see pairViolates).
type pairTests struct {
	mu sync.Mutex
	// done is signalled (under mu) whenever a projection or a base is
	// finished
	done *sync.Cond
	memo map[pairKey]*pairMemo
	// floor: levels at or below every node tested (nil: the original data's)
	floor []int
	// sets keeps, per pair, its projections of at most pairSetMax groups
	// (the one at the floor's levels first): the pair's projections at
	// higher levels are rolled up from the smallest of them rather than
	// from a frequency set of the whole table.
	sets map[[2]int8][]*freqSet
	// base: per pair, whether its base projection (at the floor's levels)
	// is being computed (baseBusy) or was (baseDone)
	base map[[2]int8]int8
	// kept: groups of the projections in sets; budget: the original
	// data's classes (see keep)
	kept, budget int
	// mem: where kept projections go (search_mem.go; nil: the heap)
	mem *bigMem
	// baseMin: the fewest classes of a source from which projections are
	// grouped through an intermediate base (pairBaseLevels)
	baseMin int
	// intermediate: intermediate bases grouped
	intermediate int
}

// pairMemo is one projection's statistics, computed once: busy while a
// worker computes them, then done.
type pairMemo struct {
	busy, done bool
	st         pairStat
}

// The states of a pair's base projection.
const (
	baseNone int8 = iota
	baseBusy
	baseDone
)

// pairSetMax is the most groups of a kept pair projection.
const pairSetMax = 1 << 19

// pairKeptMax is the fewest groups the kept projections may hold in all.
const pairKeptMax = 1 << 22

func newPairTests(floor []int, budget int) *pairTests {
	pt := &pairTests{budget: budget, memo: map[pairKey]*pairMemo{}, floor: floor, sets: map[[2]int8][]*freqSet{}, base: map[[2]int8]int8{}, baseMin: pairBaseMinClasses}
	pt.done = sync.NewCond(&pt.mu)
	return pt
}

// claim decides, under pt.mu, who computes the projection k (memo m):
// it returns true when the caller is to compute it (m is then busy, and
// so is k's base when it had not been computed; withBase says so), false
// when it is done or another worker is computing it or its base.
func (pt *pairTests) claim(k pairKey, m *pairMemo) (mine, withBase bool) {
	if m.done || m.busy {
		return false, false
	}
	pair := [2]int8{k.a, k.b}
	switch pt.base[pair] {
	case baseBusy:
		return false, false
	case baseNone:
		pt.base[pair] = baseBusy
		withBase = true
	}
	m.busy = true
	return true, withBase
}

// pairKnownViolates reports whether a pair projection already computed
// proves the node at levels infeasible; it computes none.
func (s *searcher) pairKnownViolates(levels []int, pt *pairTests) bool {
	lt := s.e.lt
	pt.mu.Lock()
	defer pt.mu.Unlock()
	for a := 0; a < len(levels); a++ {
		for b := a + 1; b < len(levels); b++ {
			m := pt.memo[pairKey{int8(a), int8(b), int8(levels[a]), int8(levels[b])}]
			if m != nil && m.done && (len(lt.dims[a].labels[levels[a]]) >= 2 && len(lt.dims[b].labels[levels[b]]) >= 2) && s.pairInfeasible(m.st) {
				return true
			}
		}
	}
	return false
}

// violates reports whether a pair projection proves the node at levels
// infeasible. Pairs already computed are tried first; then the others, the
// finest first, until one proves it.
func (s *searcher) pairViolates(levels []int, pt *pairTests, cache *freqCache) bool {
	lt := s.e.lt
	var todo []pairKey
	var memos []*pairMemo
	for a := 0; a < len(levels); a++ {
		if len(lt.dims[a].labels[levels[a]]) < 2 {
			continue
		}
		for b := a + 1; b < len(levels); b++ {
			if len(lt.dims[b].labels[levels[b]]) < 2 {
				continue
			}
			k := pairKey{int8(a), int8(b), int8(levels[a]), int8(levels[b])}
			pt.mu.Lock()
			m := pt.memo[k]
			if m == nil {
				m = &pairMemo{}
				pt.memo[k] = m
			}
			done, st := m.done, m.st
			pt.mu.Unlock()
			if done {
				if s.pairInfeasible(st) {
					return true
				}
				continue
			}
			todo = append(todo, k)
			memos = append(memos, m)
		}
	}
	// finest projections first: they prove the most
	size := func(k pairKey) int {
		return len(lt.dims[k.a].labels[k.la]) * len(lt.dims[k.b].labels[k.lb])
	}
	for i := 1; i < len(todo); i++ {
		for j := i; j > 0 && size(todo[j]) > size(todo[j-1]); j-- {
			todo[j], todo[j-1] = todo[j-1], todo[j]
			memos[j], memos[j-1] = memos[j-1], memos[j]
		}
	}
	// Each projection is computed by the first worker to claim it; one
	// that another worker is computing (or whose base it is) is left for
	// after this worker's own, so that two workers testing nodes with the
	// same pairs compute different projections instead of waiting.
	var later []int
	for i, k := range todo {
		m := memos[i]
		pt.mu.Lock()
		mine, withBase := pt.claim(k, m)
		done, st := m.done, m.st
		pt.mu.Unlock()
		if !mine {
			if !done {
				later = append(later, i)
				continue
			}
		} else {
			st = s.pairProject(k, pt, cache, withBase)
			pt.finish(k, st)
		}
		if s.pairInfeasible(st) {
			return true
		}
	}
	for _, i := range later {
		k, m := todo[i], memos[i]
		pt.mu.Lock()
		mine, withBase := false, false
		for !m.done {
			if mine, withBase = pt.claim(k, m); mine {
				break
			}
			pt.done.Wait()
		}
		st := m.st
		pt.mu.Unlock()
		if mine {
			st = s.pairProject(k, pt, cache, withBase)
			pt.finish(k, st)
		}
		if s.pairInfeasible(st) {
			return true
		}
	}
	return false
}

func (s *searcher) pairInfeasible(st pairStat) bool {
	return st.outliers > s.maxOut || s.maxClasses > 0 && st.groups > s.maxClasses
}

// pairProject computes the projection of the data on k.a and k.b at levels
// k.la and k.lb: rolled up from the pair's projection at the floor's
// levels (computed first when withBase, once per pair, kept when small
// enough), else grouped from the smallest cached frequency set whose
// levels of k.a and k.b are at most k.la and k.lb. The caller claimed k
// (and the base when withBase).
func (s *searcher) pairProject(k pairKey, pt *pairTests, cache *freqCache, withBase bool) pairStat {
	a, b, la, lb := int(k.a), int(k.b), int(k.la), int(k.lb)
	da, db := s.e.lt.dims[a], s.e.lt.dims[b]
	pair := [2]int8{k.a, k.b}
	var g *freqSet
	base := func() { // the projection at the floor's levels, when small
		fa, fb := 0, 0
		if pt.floor != nil {
			fa, fb = pt.floor[a], pt.floor[b]
		}
		if fa <= la && fb <= lb {
			// Below the levels asked for, the base is worth a pass only
			// when it is small enough to keep: on millions of all but
			// unique records a name with a date has millions of groups,
			// which are given up at pairSetMax rather than grouped in full
			// to be dropped.
			limit := 0
			if fa != la || fb != lb {
				limit = pairSetMax
			}
			base := s.pairGroupUpTo(s.pairSource(a, b, fa, fb, cache), a, b, fa, fb, limit, true)
			if base == nil {
				return
			}
			pt.keep(pair, base)
			if fa == la && fb == lb {
				g = base // too large to keep, perhaps, but this is the one asked for
			} else {
				// its statistics, so that it is not grouped again when asked
				bk := pairKey{k.a, k.b, int8(fa), int8(fb)}
				st := s.pairStatOf(base)
				pt.mu.Lock()
				bm := pt.memo[bk]
				if bm == nil {
					bm = &pairMemo{}
					pt.memo[bk] = bm
				}
				if !bm.done && !bm.busy {
					bm.st, bm.done = st, true
				}
				pt.mu.Unlock()
			}
		}
	}
	if withBase {
		base()
		pt.mu.Lock()
		pt.base[pair] = baseDone
		pt.done.Broadcast()
		pt.mu.Unlock()
	}
	var from *freqSet
	pt.mu.Lock()
	for _, f := range pt.sets[pair] {
		if f.levels[0] <= la && f.levels[1] <= lb && (from == nil || f.classes() < from.classes()) {
			from = f
		}
	}
	pt.mu.Unlock()
	if g == nil {
		if src := s.pairSource(a, b, la, lb, cache); from == nil || src.classes() <= from.classes() {
			// Nothing kept below: when the pass is over a large source, a
			// finer projection that can be kept (an intermediate base) is
			// grouped instead, and this one rolled up from it; later levels
			// of the pair above it then cost a pass over its groups, not
			// over the source (on 10 M rows, a date with a district was
			// grouped from the original data at six pairs of levels).
			if ba, bb, ok := s.pairBaseLevels(src, a, b, la, lb, pt.baseMin); ok && pt.claimLevels(pairKey{k.a, k.b, int8(ba), int8(bb)}) {
				base := s.pairGroup(src, a, b, ba, bb)
				pt.keep(pair, base)
				pt.finish(pairKey{k.a, k.b, int8(ba), int8(bb)}, s.pairStatOf(base))
				pt.mu.Lock()
				pt.intermediate++
				pt.mu.Unlock()
				from = base
			} else {
				// A projection with more groups than a feasible node has
				// classes proves every node above it infeasible: grouped up
				// to that bound only (on 10 M rows a name with a district
				// has 6.6 M groups; at most 2.4 M classes are feasible).
				if g = s.pairGroupUpTo(src, a, b, la, lb, s.maxClasses, false); g == nil {
					return pairStat{groups: s.maxClasses + 1}
				}
				pt.keep(pair, g)
			}
		}
	}
	if g == nil {
		ma, mb := da.upMap(from.levels[0], la), db.upMap(from.levels[1], lb)
		keys := s.ht.scratchKeys(from.classes())
		for c, pk := range from.keys {
			x, y := pk>>32, pk&(1<<32-1)
			if ma != nil {
				x = uint64(ma[x])
			}
			if mb != nil {
				y = uint64(mb[y])
			}
			keys[c] = x<<32 | y
		}
		g = s.groupPairKeys(keys, from.counts, la, lb, len(da.labels[la]), len(db.labels[lb]))
		if g.classes() < from.classes()/2 {
			pt.keep(pair, g)
		}
	}
	return s.pairStatOf(g)
}

// pairBaseMinClasses is the fewest classes of a source from which a pair
// projection is grouped through an intermediate base (pairBaseLevels).
const pairBaseMinClasses = 4 * pairBaseCells

// pairBaseCells is the most cells of an intermediate base: it is then
// counted in a dense array that stays in a core's cache, and kept (it has
// fewer groups than pairSetMax).
const pairBaseCells = 1 << 18

// pairBaseLevels picks the levels of an intermediate base for the
// projection on a and b at la and lb from src: the finest levels between
// src's and la, lb (other than la, lb) whose cells (values of a × values
// of b) number at most pairBaseCells, so that the base is counted in a
// dense array and kept. ok is false when src is small or no such
// levels exist. Sources of fewer than minClasses classes are grouped
// directly.
func (s *searcher) pairBaseLevels(src *freqSet, a, b, la, lb, minClasses int) (ba, bb int, ok bool) {
	if src.classes() < minClasses {
		return 0, 0, false
	}
	da, db := s.e.lt.dims[a], s.e.lt.dims[b]
	best := len(da.labels[la]) * len(db.labels[lb])
	for x := src.levels[a]; x <= la; x++ {
		for y := src.levels[b]; y <= lb; y++ {
			if c := len(da.labels[x]) * len(db.labels[y]); c <= pairBaseCells && c > best {
				ba, bb, best, ok = x, y, c, true
			}
		}
	}
	return ba, bb, ok
}

// claimLevels claims the projection k for a worker that would group it as
// an intermediate base: false when it is done or being computed.
func (pt *pairTests) claimLevels(k pairKey) bool {
	pt.mu.Lock()
	defer pt.mu.Unlock()
	m := pt.memo[k]
	if m == nil {
		m = &pairMemo{}
		pt.memo[k] = m
	}
	if m.done || m.busy {
		return false
	}
	m.busy = true
	return true
}

// finish records the statistics of the projection k, claimed by the
// caller, and wakes the workers waiting for it.
func (pt *pairTests) finish(k pairKey, st pairStat) {
	pt.mu.Lock()
	m := pt.memo[k]
	m.st, m.done, m.busy = st, true, false
	pt.done.Broadcast()
	pt.mu.Unlock()
}

// pairStatOf is the statistics of the pair projection g.
func (s *searcher) pairStatOf(g *freqSet) pairStat {
	m := int32(s.ck.minRecords())
	st := pairStat{groups: g.classes()}
	for _, n := range g.counts {
		if n < m {
			st.outliers += int64(n)
		}
	}
	return st
}

// keep adds g to the projections of pair kept, when small enough.
// The projections kept hold at most pairKeptMax groups in all, or as many
// as the original data has classes when that is more.
func (pt *pairTests) keep(pair [2]int8, g *freqSet) {
	if g.classes() > pairSetMax {
		return
	}
	pt.mu.Lock()
	if pt.kept+g.classes() <= max(pt.budget, pairKeptMax) {
		pt.mem.keep(g, false) // before any other worker can read g
		pt.sets[pair] = append(pt.sets[pair], g)
		pt.kept += g.classes()
	}
	pt.mu.Unlock()
}

// pairSource is the cached frequency set with the fewest classes whose
// levels of a and b are at most la and lb.
func (s *searcher) pairSource(a, b, la, lb int, cache *freqCache) *freqSet {
	var src *freqSet
	for _, f := range cache.all {
		if f.levels[a] <= la && f.levels[b] <= lb && (src == nil || f.classes() < src.classes()) {
			src = f
		}
	}
	return src
}

// pairGroup groups src's classes by their codes of a and b at levels la
// and lb (keys x<<32 | y).
func (s *searcher) pairGroup(src *freqSet, a, b, la, lb int) *freqSet {
	return s.pairGroupUpTo(src, a, b, la, lb, 0, false)
}

// pairGroupUpTo is pairGroup, giving up (nil) once the projection has more
// than limit groups when limit > 0. With estimate, it may also give up
// before grouping when an estimate of its groups (sampleCount) is
// above limit: for a base that is kept only when small (the estimate
// errs by a few per cent, and a base given up costs time, never a
// result), not for a projection that proves a node infeasible.
func (s *searcher) pairGroupUpTo(src *freqSet, a, b, la, lb, limit int, estimate bool) *freqSet {
	da, db := s.e.lt.dims[a], s.e.lt.dims[b]
	na, nb := len(da.labels[la]), len(db.labels[lb])
	ma, mb := da.upMap(src.levels[a], la), db.upMap(src.levels[b], lb)
	pa, pb := src.lay.pos[a], src.lay.pos[b]
	w := src.lay.words
	keys := s.ht.scratchKeys(src.classes())
	sa, sb := pa.shift&63, pb.shift&63
	fill := func(lo, hi int) {
		for c := lo; c < hi; c++ {
			x := (src.keys[c*w+pa.word] >> sa) & pa.mask
			y := (src.keys[c*w+pb.word] >> sb) & pb.mask
			if ma != nil {
				x = uint64(ma[x])
			}
			if mb != nil {
				y = uint64(mb[y])
			}
			keys[c] = x<<32 | y
		}
	}
	n := len(keys)
	if !estimate || limit <= 0 || na*nb <= limit || n < pairEstimateShare*limit {
		fill(0, n)
		return s.groupPairKeysUpTo(keys, src.counts, la, lb, na, nb, limit)
	}
	// The groups are estimated as the keys are made, part by part (an
	// eighth, a quarter, a half, all): the groups of a part are at most
	// those of the whole, so on millions of all but unique records (a name
	// with a date of birth) the first eighth is enough to give up, where
	// the partitioned grouping would scatter every key first.
	samples := s.ht.sampleReset(limit)
	lo := 0
	for _, hi := range [...]int{n / 8, n / 4, n / 2, n} {
		fill(lo, hi)
		if samples.add(keys[lo:hi]) {
			s.pairEstimated++
			return nil
		}
		lo = hi
	}
	return s.groupPairKeysUpTo(keys, src.counts, la, lb, na, nb, limit)
}

// pairEstimateShare: a base's groups are estimated only from a source of
// at least pairEstimateShare times its limit in classes (on fewer, the
// grouping gives up soon enough, and the estimate errs more).
const pairEstimateShare = 4

// pairDenseMax is the most cells (values of a × values of b) of a pair
// projection counted in a dense array rather than grouped by hashing
// (when there are at least as many classes as cells): at 4 MB of counters
// the array stays in the shared cache, and a class costs one add where
// hashing costs two passes (on 10 M rows a name with a year of birth, 8,320
// × 69 cells, 567,284 groups: 600 ms hashed).
const pairDenseMax = 1 << 20

// groupPairKeys groups pair keys x<<32 | y (x < na, y < nb) with their
// counts into the projection at levels la, lb. A projection with few
// possible cells is counted in a dense array (its groups then in cell
// order, x then y); the others are grouped by hashing. Only the groups and
// their counts are used, never their order.
func (s *searcher) groupPairKeys(keys []uint64, counts []int32, la, lb, na, nb int) *freqSet {
	return s.groupPairKeysUpTo(keys, counts, la, lb, na, nb, 0)
}

// groupPairKeysUpTo is groupPairKeys, giving up (nil) once the projection
// has more than limit groups when limit > 0 (and na × nb is above it).
func (s *searcher) groupPairKeysUpTo(keys []uint64, counts []int32, la, lb, na, nb, limit int) *freqSet {
	g := &freqSet{levels: []int{la, lb}}
	cells := na * nb
	if cells > pairDenseMax || len(keys) < cells || limit > 0 && cells > limit {
		if !s.ht.group1(g, keys, counts, cells, limit) {
			return nil
		}
		return g
	}
	if cap(s.pairCells) < cells {
		s.pairCells = make([]int32, cells)
	}
	acc := s.pairCells[:cells]
	w := uint64(nb)
	for c, k := range keys {
		acc[(k>>32)*w+k&(1<<32-1)] += counts[c]
	}
	groups := 0
	for _, n := range acc {
		if n != 0 {
			groups++
		}
	}
	g.keys = make([]uint64, 0, groups)
	g.counts = make([]int32, 0, groups)
	for i, n := range acc {
		if n != 0 {
			g.keys = append(g.keys, uint64(i/nb)<<32|uint64(i%nb))
			g.counts = append(g.counts, n)
			acc[i] = 0
		}
	}
	return g
}
