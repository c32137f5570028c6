package anonymizer

import (
	"context"
	"slices"
	"sort"
)

// topDown is the exact search for monotone models (k-anonymity and distinct
// l-diversity at any suppression limit; every model when no record may be
// suppressed): a node whose generalization violates the models proves every
// specialization of it violates them too (predictive tagging).
//
// The candidates are the nodes whose metric lower bound lets them beat the
// best node known (seeded by the greedy climb). They are checked from the
// most general downwards, so one violating node tags its whole down-set
// before any of it is checked; a node is also tagged when any of its
// generalizations is. Classes are rolled up from the cached checked node
// below it with the fewest classes (the original data at first). Every
// candidate is checked, tagged or proven worse, so the result is exact.
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
	path := slices.Clone(s.path)
	slices.SortFunc(path, func(a, b *freqSet) int { return a.classes() - b.classes() })
	for _, f := range path {
		if cache.total+f.classes() <= cache.budget/2 { // leave room for hubs
			cache.add(f)
		}
	}
	ws := s.workers()
	results := make([]*node, len(order))
	done := 0
	for lo := 0; lo < len(order); {
		if err := ctx.Err(); err != nil {
			return nil, err
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
		s.addHubs(ws, todo, strides, cache)
		parallelFor(ws, len(todo), func(w *searcher, k int) {
			results[lo+k] = w.checkTopDown(todo[k], status, cache)
		})
		for k := lo; k < hi; k++ {
			if n := results[k]; n != nil && n.feasible {
				cache.add(n.fs)
				if better(n, best) {
					best = n
				}
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

// Node status in the top-down search.
const (
	statusUnknown int8 = iota
	statusViolating
	statusSatisfying
)

// admit reports whether node id must be checked: not when it cannot beat
// bound, nor when a generalization of it violates the models (it is then
// tagged violating itself).
func (s *searcher) admit(id int32, lbs []float64, status []int8, strides []int, bound *node) bool {
	lt := s.e.lt
	nl := lt.levelsOf(int(id), make([]int, len(lt.radix)))
	if cannotWin(lbs[id], nl, bound) {
		return false
	}
	for i := range nl {
		if nl[i]+1 < lt.radix[i] && status[int(id)+strides[i]] == statusViolating {
			status[id] = statusViolating
			return false
		}
	}
	if s.projectionViolates(nl) {
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
	n := s.evaluate(s.e.generalize(cache.source(nl), nl, &s.ht, nil), false)
	if n.feasible {
		status[id] = statusSatisfying
	} else {
		status[id] = statusViolating
	}
	return n
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
// hubs in parallel from the best cached source.
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
		if !cache.has(lt.id(meet)) && cache.room() {
			cache.add(s.e.generalize(cache.source(meet), meet, &s.ht, nil))
		}
	}
	var layers [][]int
	for d := 0; d < hubDepth && len(ids) > 1 && cache.room(); d++ {
		var hubs []int
		for _, h := range s.sharedChildren(ids, strides) {
			if !cache.has(h) {
				hubs = append(hubs, h)
			}
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
			made[k] = w.e.generalize(cache.source(nl), nl, &w.ht, nil)
		})
		for _, f := range made {
			cache.add(f)
		}
	}
}

// freqCache keeps checked frequency sets to roll new nodes up from.
// Its memory is bounded: sets beyond cacheBudget times the original
// classes are not kept.
type freqCache struct {
	e      *encoded
	all    []*freqSet
	ids    map[int]bool
	total  int
	budget int
}

const cacheBudget = 3

func newFreqCache(e *encoded) *freqCache {
	return &freqCache{e: e, all: []*freqSet{e.bottom}, ids: map[int]bool{0: true},
		budget: max(cacheBudget*e.bottom.classes(), 1<<20)}
}

func (c *freqCache) add(f *freqSet) {
	if id := c.e.lt.id(f.levels); !c.ids[id] && c.total+f.classes() <= c.budget {
		c.ids[id] = true
		c.all = append(c.all, f)
		c.total += f.classes()
	}
}

func (c *freqCache) has(id int) bool { return c.ids[id] }

// room reports whether the cache can take more sets.
func (c *freqCache) room() bool { return c.total < c.budget }

// source returns the cached set with the fewest classes whose node is a
// specialization of (or equal to) levels.
func (c *freqCache) source(levels []int) *freqSet {
	best := c.all[0]
	for _, f := range c.all[1:] {
		if f.classes() >= best.classes() {
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
