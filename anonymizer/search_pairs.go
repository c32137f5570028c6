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
// below them) and shared by all nodes; it is safe for concurrent use.
type pairTests struct {
	mu   sync.Mutex
	memo map[pairKey]pairStat
}

// violates reports whether a pair projection proves the node at levels
// infeasible. Pairs already computed are tried first; then the others, the
// finest first, until one proves it.
func (s *searcher) pairViolates(levels []int, pt *pairTests, cache *freqCache) bool {
	lt := s.e.lt
	var todo []pairKey
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
			st, ok := pt.memo[k]
			pt.mu.Unlock()
			if ok {
				if s.pairInfeasible(st) {
					return true
				}
				continue
			}
			todo = append(todo, k)
		}
	}
	// finest projections first: they prove the most
	size := func(k pairKey) int {
		return len(lt.dims[k.a].labels[k.la]) * len(lt.dims[k.b].labels[k.lb])
	}
	for i := 1; i < len(todo); i++ {
		for j := i; j > 0 && size(todo[j]) > size(todo[j-1]); j-- {
			todo[j], todo[j-1] = todo[j-1], todo[j]
		}
	}
	for _, k := range todo {
		st := s.pairProject(k, cache)
		pt.mu.Lock()
		pt.memo[k] = st
		pt.mu.Unlock()
		if s.pairInfeasible(st) {
			return true
		}
	}
	return false
}

func (s *searcher) pairInfeasible(st pairStat) bool {
	return st.outliers > s.maxOut || s.maxClasses > 0 && st.groups > s.maxClasses
}

// pairProject groups the smallest cached frequency set whose levels of
// k.a and k.b are at most k.la and k.lb by those two codes.
func (s *searcher) pairProject(k pairKey, cache *freqCache) pairStat {
	a, b, la, lb := int(k.a), int(k.b), int(k.la), int(k.lb)
	var src *freqSet
	for _, f := range cache.all {
		if f.levels[a] <= la && f.levels[b] <= lb && (src == nil || f.classes() < src.classes()) {
			src = f
		}
	}
	da, db := s.e.lt.dims[a], s.e.lt.dims[b]
	ma, mb := da.upMap(src.levels[a], la), db.upMap(src.levels[b], lb)
	pa, pb := src.lay.pos[a], src.lay.pos[b]
	w := src.lay.words
	keys := s.ht.scratchKeys(src.classes())
	for c := range keys {
		x := (src.keys[c*w+pa.word] >> pa.shift) & pa.mask
		y := (src.keys[c*w+pb.word] >> pb.shift) & pb.mask
		if ma != nil {
			x = uint64(ma[x])
		}
		if mb != nil {
			y = uint64(mb[y])
		}
		keys[c] = x<<32 | y
	}
	var g freqSet
	s.ht.group1(&g, keys, src.counts, len(da.labels[la])*len(db.labels[lb]))
	m := int32(s.ck.minRecords())
	st := pairStat{groups: g.classes()}
	for _, n := range g.counts {
		if n < m {
			st.outliers += int64(n)
		}
	}
	return st
}
