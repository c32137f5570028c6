package anonymizer

import (
	"context"
	"slices"
	"sort"
)

// topDown is the exact search. Under monotone models (k-anonymity and
// distinct l-diversity at any suppression limit; every model when no record
// may be suppressed) a node whose generalization violates the models proves
// every specialization of it violates them too (predictive tagging). Under
// the others (entropy or recursive l-diversity, t-closeness, with records
// suppressed) only a violation by the classes' sizes carries down
// (sizeViolates: too many records in classes smaller than any class the
// models accept); it is checked before the classes' sensitive values are
// rolled up.
//
// The candidates are the nodes whose metric lower bound lets them beat the
// best node known (seeded by the greedy climb). They are checked from the
// most general downwards, so one violating node tags its whole down-set
// before any of it is checked; a node is also tagged when any of its
// generalizations is, when a projection on one or two quasi-identifiers
// proves it infeasible (projectionViolates, pairViolates), and when its
// roll-up passes the class-count bound (classBound): all of them proofs by
// the classes' sizes, which hold under every model. Classes are rolled up
// from the cached node below it with the fewest classes (the original data,
// the greedy climb's nodes, hubs). Every candidate is checked, tagged or
// proven worse, so the result is exact.
func (s *searcher) topDown(ctx context.Context, start *node) (*node, error) {
	lt := s.e.lt
	total := int(lt.size)
	strides := make([]int, len(lt.radix))
	acc := 1
	for i := len(lt.radix) - 1; i >= 0; i-- {
		strides[i] = acc
		acc *= lt.radix[i]
	}
	best := start
	lbs := make([]float64, total)
	var order []int32
	levels := make([]int, len(lt.radix))
	for id := 0; id < total; id++ {
		lt.levelsOf(id, levels)
		lbs[id] = s.sc.lower(s.metric, levels)
		if !cannotWin(lbs[id], levels, best) {
			order = append(order, int32(id))
		}
	}
	sums := make([]int32, total)
	for _, id := range order {
		sums[id] = int32(levelSum(lt.levelsOf(int(id), levels)))
	}
	sort.SliceStable(order, func(a, b int) bool { return sums[order[a]] > sums[order[b]] })
	status := make([]int8, total)
	cache := newFreqCache(s.e)
	ws := s.workers()
	var floor []int
	if !s.noFirstFloor {
		floor = s.addFloor(ws, order, cache)
	}
	path := slices.Clone(s.path)
	slices.SortFunc(path, func(a, b *freqSet) int { return a.classes() - b.classes() })
	for _, f := range path {
		if cache.total+f.weight() <= cache.budget/2 { // leave room for hubs
			cache.add(f)
		}
	}
	pt := newPairTests(floor, s.e.bottom.classes())
	pt.mem = s.e.mem
	defer func() { // the mapped sets the search kept (the climb's stay)
		for _, f := range cache.all[1:] {
			s.e.mem.drop(f)
		}
		for _, gs := range pt.sets {
			for _, g := range gs {
				s.e.mem.drop(g)
			}
		}
	}()
	results := make([]*node, len(order))
	done := 0
	for lo := 0; lo < len(order); {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if !s.noFloor {
			var fpt *pairTests
			if s.e.bottom.classes() >= s.pairMin {
				fpt = pt
			}
			s.raiseFloor(ws, order[lo:], lbs, status, strides, best, cache, fpt)
		}
		hi := lo
		for hi < len(order) && sums[order[hi]] == sums[order[lo]] {
			hi++
		}
		// Nodes of one total level neither tag nor roll up from each other.
		// Tag and prune serially, against the best known when the level began.
		bound := best
		var todo []int32
		for _, id := range order[lo:hi] {
			if s.admit(id, lbs, status, strides, bound) {
				todo = append(todo, id)
			}
		}
		// Pair projections prune, in parallel, nodes too fine to satisfy
		// the models before any hub is rolled up for them.
		// On small data a roll-up costs less than the projections.
		pruned := make([]bool, len(todo))
		if s.e.bottom.classes() >= s.pairMin {
			parallelFor(ws, len(todo), func(w *searcher, k int) {
				nl := lt.levelsOf(int(todo[k]), make([]int, len(lt.radix)))
				pruned[k] = w.pairViolates(nl, pt, cache)
			})
		}
		kept := todo[:0]
		for k, id := range todo {
			if pruned[k] {
				status[id] = statusViolating
				s.pruned++
			} else {
				kept = append(kept, id)
			}
		}
		todo = kept
		if !cache.room() || cache.total > cache.budget/2 {
			cache.evict(order[lo:], status)
		}
		s.addHubs(ws, todo, strides, cache)
		parallelFor(ws, len(todo), func(w *searcher, k int) {
			results[lo+k] = w.checkTopDown(todo[k], status, cache)
		})
		for k := lo; k < hi; k++ {
			if n := results[k]; n != nil && n.feasible && better(n, best) {
				best = n
			}
			results[k] = nil
		}
		done, lo = hi, hi
		if s.progress != nil {
			s.progress(int64(done), int64(len(order)))
		}
	}
	return best, nil
}

// addFloor caches (and returns) the meet of the candidates that no single
// quasi-identifier proves infeasible: every node to check lies above it, and
// when it is above the original data its keys are narrower (often one word
// where the original's take two) and its classes fewer, so it is a cheaper
// source than the original data.
func (s *searcher) addFloor(ws []*searcher, order []int32, cache *freqCache) []int {
	lt := s.e.lt
	var floor []int
	levels := make([]int, len(lt.radix))
	for _, id := range order {
		lt.levelsOf(int(id), levels)
		if s.projectionViolates(levels) {
			continue
		}
		if floor == nil {
			floor = append([]int(nil), levels...)
		}
		for i, l := range levels {
			floor[i] = min(floor[i], l)
		}
	}
	if floor == nil || levelSum(floor) == 0 || cache.has(lt.id(floor)) {
		return floor
	}
	src := cache.source(floor)
	if f := s.e.generalizePar(ws, src, floor, nil, 0); f.classes() < src.classes() || f.lay.words < src.lay.words {
		cache.add(f)
	}
	return floor
}

// Node status in the top-down search.
const (
	statusUnknown int8 = iota
	statusViolating
	statusSatisfying
	// statusChecked: infeasible under models that are not monotone, without
	// a proof that its specializations are too (checkTopDown)
	statusChecked
)

// admit reports whether node id must be checked: not when it cannot beat
// bound, nor when a generalization of it violates the models (it is then
// tagged violating itself).
func (s *searcher) admit(id int32, lbs []float64, status []int8, strides []int, bound *node) bool {
	lt := s.e.lt
	if status[id] == statusViolating { // proven already (raiseFloor)
		return false
	}
	nl := lt.levelsOf(int(id), make([]int, len(lt.radix)))
	if cannotWin(lbs[id], nl, bound) {
		return false
	}
	if s.tagged(id, nl, status, strides) {
		status[id] = statusViolating
		return false
	}
	return true
}

// checkTopDown rolls node id up from the best cached source, evaluates it
// and records its status. It writes only status[id].
func (s *searcher) checkTopDown(id int32, status []int8, cache *freqCache) *node {
	lt := s.e.lt
	nl := lt.levelsOf(int(id), make([]int, len(lt.radix)))
	src := cache.source(nl)
	need := distinctNeed(s.models, s.e.sens)
	var remap []int32
	if s.e.stride > 0 && need == 0 {
		// The classes first, their sensitive values only when the classes
		// alone do not prove the node infeasible (sizeViolates).
		need, remap = needNone, make([]int32, src.classes())
	}
	// A node with more classes than maxClasses, or with more records in
	// classes too small than the suppression limit (sizeViolates), violates
	// the models, so the roll-up stops there; the partial set is dropped
	// (never a source).
	var fs *freqSet
	// stop as soon as the classes' sizes prove the node infeasible (for
	// this roll-up only)
	stop := &sizeStop{min: int32(s.ck.minRecords()), most: s.maxOut}
	s.ht.stop = stop
	if remap != nil {
		fs = s.e.rollUpMode(src, nl, &s.ht, remap, s.maxClasses, false, needNone)
	} else {
		fs = s.e.generalizeCheck(src, nl, &s.ht, s.maxClasses, need)
	}
	s.ht.stop = nil
	if fs == nil {
		s.checked++
		s.aborted++
		if stop.fired {
			s.sizeStopped++
		}
		status[id] = statusViolating
		return &node{levels: nl}
	}
	var n *node
	switch {
	case remap == nil:
		n = s.evaluate(fs, false)
	case s.sizeViolates(fs):
		s.checked++
		status[id] = statusViolating
		return &node{levels: nl}
	case s.dropRef && s.models.T > 0:
		// evaluated to a fixed point over the released records: the
		// histograms are read again and again
		s.e.addSensitive(fs, src, remap, 0, 1)
		n = s.evaluate(fs, false)
	default:
		n = s.evaluateRolledUp(fs, src, remap)
	}
	// Nodes are checked from the most general down: a checked node is
	// below no node still to check, so its classes are never a source.
	n.fs, n.outliers = nil, nil
	switch {
	case n.feasible:
		status[id] = statusSatisfying
	case s.models.monotone() || s.maxOut == 0 || remap == nil && s.sizeViolates(fs):
		// with nothing suppressed every model is monotone: a violating
		// class splits into classes of which one at least violates (with
		// remap the sizes were tested before the histograms)
		status[id] = statusViolating
	default:
		// Entropy or recursive l-diversity, t-closeness with records
		// suppressed: a specialization of an infeasible node may be
		// feasible (its violating classes, split, may satisfy the
		// models), so only the classes' sizes may tag the down-set.
		status[id] = statusChecked
	}
	return n
}

// sizeViolates reports whether the records in classes of f too small for
// the models (fewer than minRecords) exceed the suppression limit: such a
// class splits into smaller ones at every specialization, so this proves
// every specialization infeasible too, whatever the models.
func (s *searcher) sizeViolates(f *freqSet) bool {
	m := int32(s.ck.minRecords())
	var small int64
	for _, c := range f.counts {
		if c < m {
			small += int64(c)
		}
	}
	return small > s.maxOut
}

// hubDepth bounds how many levels below the checked nodes shared hubs are
// sought.
const hubDepth = 3

// sharedChildren picks, greedily, children of the nodes in ids that are
// shared by at least two of them (a node n + e_i − e_j and n share the
// child n − e_j): rolling both up from the child costs one pass over the
// large cached source instead of two.
func (s *searcher) sharedChildren(ids []int, strides []int) []int {
	lt := s.e.lt
	cover := map[int][]int{} // child → parents in ids
	levels := make([]int, len(lt.radix))
	for _, id := range ids {
		lt.levelsOf(id, levels)
		for i, l := range levels {
			if l > 0 {
				c := id - strides[i]
				cover[c] = append(cover[c], id)
			}
		}
	}
	done := map[int]bool{}
	var hubs []int
	for {
		best, bestN := -1, 1
		for c, ps := range cover {
			n := 0
			for _, p := range ps {
				if !done[p] {
					n++
				}
			}
			if n > bestN || n == bestN && best >= 0 && c < best {
				best, bestN = c, n
			}
		}
		if best < 0 {
			return hubs
		}
		hubs = append(hubs, best)
		for _, p := range cover[best] {
			done[p] = true
		}
		delete(cover, best)
	}
}

// addHubs caches shared children of the nodes about to be checked (and
// shared children of those, hubDepth levels down), computing each level of
// hubs in parallel from the best cached source; none when checked nodes
// sum their classes' histograms (see below), only the meet.
func (s *searcher) addHubs(ws []*searcher, todo []int32, strides []int, cache *freqCache) {
	lt := s.e.lt
	ids := make([]int, len(todo))
	for i, id := range todo {
		ids[i] = int(id)
	}
	if len(todo) > 1 {
		// The meet of the level's nodes is below all of them and, near the
		// top of the lattice, far smaller than any cached source.
		meet := lt.levelsOf(ids[0], make([]int, len(lt.radix)))
		levels := make([]int, len(lt.radix))
		for _, id := range ids[1:] {
			for i, l := range lt.levelsOf(id, levels) {
				meet[i] = min(meet[i], l)
			}
		}
		if id := lt.id(meet); !cache.has(id) && !cache.useless[id] && cache.room() {
			src := cache.source(meet)
			if cache.hopeless(meet, src) {
				cache.useless[id] = true
			} else if f := s.e.generalizeParHub(ws, src, meet, hubLimit(src), distinctNeed(s.models, s.e.sens)); f != nil {
				cache.add(f)
			} else {
				cache.giveUp(meet, src)
			}
		}
	}
	var layers [][]int
	depth := hubDepth
	if s.e.stride > 0 && distinctNeed(s.models, s.e.sens) == 0 {
		// A hub would carry its classes' histograms, rolled up in full,
		// where a node checked from the larger source sums them class by
		// class and stops at the suppression limit (evaluateRolledUp): on
		// 10 M rows under entropy l-diversity or t-closeness the shared
		// children cost more than they spared (t: 30.2 → 26.9 s without).
		depth = 0
	}
	for d := 0; d < depth && len(ids) > 1 && cache.room(); d++ {
		var hubs []int
		for _, h := range s.sharedChildren(ids, strides) {
			if cache.has(h) || cache.useless[h] {
				continue
			}
			if hl := lt.levelsOf(h, make([]int, len(lt.radix))); cache.hopeless(hl, cache.source(hl)) {
				cache.useless[h] = true
				continue
			}
			hubs = append(hubs, h)
		}
		if len(hubs) == 0 {
			break
		}
		layers = append(layers, hubs)
		ids = hubs
	}
	for d := len(layers) - 1; d >= 0; d-- {
		hubs := layers[d]
		made := make([]*freqSet, len(hubs))
		parallelFor(ws, len(hubs), func(w *searcher, k int) {
			nl := lt.levelsOf(hubs[k], make([]int, len(lt.radix)))
			src := cache.source(nl)
			made[k] = w.e.generalizeHub(src, nl, &w.ht, hubLimit(src), distinctNeed(s.models, s.e.sens))
		})
		for k, f := range made {
			if f != nil {
				cache.add(f)
			} else {
				hl := lt.levelsOf(hubs[k], make([]int, len(lt.radix)))
				cache.giveUp(hl, cache.source(hl))
			}
		}
	}
}

// hubLimit is the most classes a hub rolled up from src may have: a hub
// about as large as its source saves nothing to the nodes rolled up from it,
// so its roll-up is given up (and the hub not tried again).
func hubLimit(src *freqSet) int { return max(src.classes()/2, 1) }

// freqCache keeps checked frequency sets to roll new nodes up from.
// Its memory is bounded: sets beyond cacheBudget times the original
// classes, by weight (classes and histogram values), are not kept.
type freqCache struct {
	e   *encoded
	all []*freqSet
	ids map[int]bool
	// useless: hubs whose roll-up was given up at hubLimit (or that
	// hopeless rules out)
	useless map[int]bool
	// gaveUp: the hubs given up at hubLimit, with the levels of the set
	// each was to be rolled up from
	gaveUp []gaveUp
	total  int
	budget int
}

const cacheBudget = 3

func newFreqCache(e *encoded) *freqCache {
	return &freqCache{e: e, all: []*freqSet{e.bottom}, ids: map[int]bool{0: true}, useless: map[int]bool{},
		budget: max(cacheBudget*e.bottom.classes(), 1<<20)}
}

func (c *freqCache) add(f *freqSet) {
	if id := c.e.lt.id(f.levels); !c.ids[id] && c.total+f.weight() <= c.budget {
		c.ids[id] = true
		c.e.mem.keep(f, false)
		c.all = append(c.all, f)
		c.total += f.weight()
	}
}

func (c *freqCache) has(id int) bool { return c.ids[id] }

// gaveUp is a hub given up at hubLimit: its levels and its source's (not
// the source itself, which the cache may drop).
type gaveUp struct {
	levels, src []int
}

// giveUp records that the hub at levels, rolled up from src, was given up.
func (c *freqCache) giveUp(levels []int, src *freqSet) {
	c.useless[c.e.lt.id(levels)] = true
	c.gaveUp = append(c.gaveUp, gaveUp{slices.Clone(levels), slices.Clone(src.levels)})
}

// hopeless reports whether a hub at levels, rolled up from src, would be
// given up: a hub above it (a generalization) from the same source was, and
// a specialization has at least as many classes. (The estimate that gave
// it up is approximate, so this is too; hubs change the search's speed,
// never its result.)
func (c *freqCache) hopeless(levels []int, src *freqSet) bool {
	for _, g := range c.gaveUp {
		if below(levels, g.levels) && slices.Equal(g.src, src.levels) {
			return true
		}
	}
	return false
}

// evict drops the cached sets (but the original data's) that no node of
// ids still unchecked lies above: nodes are checked from the most general
// down, so such a set is never a source again, and its room goes to hubs
// for the nodes still to come.
func (c *freqCache) evict(ids []int32, status []int8) {
	lt := c.e.lt
	var left [][]int
	for _, id := range ids {
		if status[id] == statusUnknown {
			left = append(left, lt.levelsOf(int(id), make([]int, len(lt.radix))))
		}
	}
	kept := c.all[:1]
	for _, f := range c.all[1:] {
		if slices.ContainsFunc(left, func(l []int) bool { return below(f.levels, l) }) {
			kept = append(kept, f)
			continue
		}
		delete(c.ids, lt.id(f.levels))
		c.total -= f.weight()
		c.e.mem.drop(f)
	}
	clear(c.all[len(kept):])
	c.all = kept
}

// below reports whether node a is a specialization of (or equal to) b.
func below(a, b []int) bool {
	for i, l := range a {
		if l > b[i] {
			return false
		}
	}
	return true
}

// weight is what f costs the cache, in classes: a class (key, count and
// histogram offset, 16 bytes) and every two values of its histogram (8
// bytes each). Classes of many records under t-closeness or entropy
// l-diversity hold dozens of values: counting classes alone let the cache
// of a 10 M-row search under t-closeness grow to 1.4 GB.
func (f *freqSet) weight() int {
	w := f.classes()
	if f.hist != nil {
		w += len(f.hist.key) / 2
	}
	return w
}

// room reports whether the cache can take more sets.
func (c *freqCache) room() bool { return c.total < c.budget }

// source returns the cached set with the fewest classes (then the narrowest
// keys) whose node is a specialization of (or equal to) levels.
func (c *freqCache) source(levels []int) *freqSet {
	best := c.all[0]
	for _, f := range c.all[1:] {
		// fewest classes, then narrowest keys
		if f.classes() > best.classes() || f.classes() == best.classes() && f.lay.words >= best.lay.words {
			continue
		}
		below := true
		for i, l := range f.levels {
			if l > levels[i] {
				below = false
				break
			}
		}
		if below {
			best = f
		}
	}
	return best
}
