package anonymizer

import (
	"slices"
)

// raiseFloor caches the meet of the nodes the top-down search may check
// in the next floorWindow+1 levels (those of rem, the candidates of this
// level and below, that lie there) when its keys take fewer words than
// those of the set it would be rolled up from (src) and two of those nodes
// at least would otherwise read src. On millions of all-but-unique records
// the original data's keys take two words; the meet soon drops a name or a
// date to a level whose codes fit, with the others, in one word, read with
// small lookup tables, and every roll-up below it becomes cheaper while
// merging few classes. Walking rem, it also tags violating the nodes that
// a violating generalization or a single quasi-identifier proves
// infeasible (admit's tests, applied before bound excludes a node, so that
// the tags reach further down), and leaves out of the meet the nodes that
// cannot beat bound, and (with pt) those a pair projection proves
// infeasible, tagging them. Tags are proofs and the floor only a source: the
// search's result does not depend on either, only its speed does.
func (s *searcher) raiseFloor(ws []*searcher, rem []int32, lbs []float64, status []int8, strides []int, bound *node, cache *freqCache, pt *pairTests) {
	lt := s.e.lt
	nl := make([]int, len(lt.radix))
	lowest := -1
	if len(rem) > 0 {
		lowest = levelSum(lt.levelsOf(int(rem[0]), nl)) - floorWindow
	}
	var window [][]int // the nodes whose meet is taken
	var ids []int32
	for _, id := range rem {
		if status[id] != statusUnknown {
			continue
		}
		lt.levelsOf(int(id), nl)
		if s.tagged(id, nl, status, strides) {
			status[id] = statusViolating
			continue
		}
		if cannotWin(lbs[id], nl, bound) || levelSum(nl) < lowest {
			continue
		}
		window = append(window, slices.Clone(nl))
		ids = append(ids, id)
	}
	if pt != nil {
		// Nodes that a pair projection already computed proves infeasible
		// are never rolled up: a meet held down by them would be a pass
		// over a large source for nothing.
		keptW, keptIDs := window[:0], ids[:0]
		for k, l := range window {
			if s.pairKnownViolates(l, pt) {
				status[ids[k]] = statusViolating
				s.pruned++
				continue
			}
			keptW, keptIDs = append(keptW, l), append(keptIDs, ids[k])
		}
		window, ids = keptW, keptIDs
	}
	tested := map[int32]bool{}
	var meet []int
	var src *freqSet
	for {
		meet = nil
		for _, l := range window {
			if meet == nil {
				meet = slices.Clone(l)
			}
			for i, x := range l {
				meet[i] = min(meet[i], x)
			}
		}
		if meet == nil {
			return
		}
		id := lt.id(meet)
		if cache.has(id) || cache.useless[id] {
			return
		}
		src = cache.source(meet)
		if slices.Equal(src.levels, meet) {
			return
		}
		// worth a pass over src only when two nodes at least would read src
		var readers []int
		for k, l := range window {
			if cache.source(l) == src {
				readers = append(readers, k)
			}
		}
		if len(readers) < 2 {
			return
		}
		if lt.layoutFor(meet).words >= src.lay.words {
			// as wide: a pass over src that would merge few of its classes
			// (they are all but unique) costs more than it saves
			return
		}
		// Before that pass, the nodes that would read the floor are tested
		// on their pair projections (each computed once, for them or for
		// later nodes): on 10 M rows the nodes that held the floor down to
		// an all-but-unique date were all infeasible by a pair, and the
		// floor (a pass over 10 M classes) was read by no one.
		var test []int
		for _, k := range readers {
			if !tested[ids[k]] {
				test = append(test, k)
				tested[ids[k]] = true
			}
		}
		if pt == nil || len(test) == 0 {
			break
		}
		pruned := make([]bool, len(test))
		parallelFor(ws, len(test), func(w *searcher, j int) {
			pruned[j] = w.pairViolates(window[test[j]], pt, cache)
		})
		out := map[int]bool{}
		for j, k := range test {
			if pruned[j] {
				out[k] = true
				status[ids[k]] = statusViolating
				s.pruned++
			}
		}
		if len(out) == 0 {
			break
		}
		keptW, keptIDs := window[:0], ids[:0]
		for k := range window {
			if !out[k] {
				keptW, keptIDs = append(keptW, window[k]), append(keptIDs, ids[k])
			}
		}
		window, ids = keptW, keptIDs
	}
	id := lt.id(meet)
	f := s.e.rollUpPar(ws, src, meet, nil, 0, false, distinctNeed(s.models, s.e.sens))
	cache.add(f)
	if !cache.has(id) {
		cache.useless[id] = true // over the cache's budget: not tried again
		return
	}
	s.floors++
}

// floorWindow is how many levels below the current one the nodes whose
// meet is the floor lie: the meet of every node left is held down by nodes
// far below, that pair projections or the checks above them will prune.
const floorWindow = 2

// tagged reports whether the node id at nl violates the models as a
// specialization of a node tagged violating, or by a single
// quasi-identifier's projection (admit's tests).
func (s *searcher) tagged(id int32, nl []int, status []int8, strides []int) bool {
	lt := s.e.lt
	for i := range nl {
		if nl[i]+1 < lt.radix[i] && status[int(id)+strides[i]] == statusViolating {
			return true
		}
	}
	return s.projectionViolates(nl)
}
