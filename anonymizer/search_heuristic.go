package anonymizer

import (
	"context"
	"math"
	"slices"
)

// exactLimit is the largest lattice searched exactly; beyond it the search
// is heuristic and the result is not proven optimal.
const exactLimit = 1e6

// heuristicBudget bounds the nodes the heuristic search evaluates.
const heuristicBudget = 4000

// greedy climbs from the original data towards the top of the lattice, one
// level at a time, each time in the quasi-identifier whose next level
// merges the most values per unit of the metric's lower bound, until a
// feasible node appears. It evaluates one node per step, so it costs a few
// passes over the classes. It returns nil when even the top node is
// infeasible. Its result seeds the exact search's bound, and the nodes it
// evaluated are kept (s.path) to roll other nodes up from.
//
// With skipEstimated set (the exact searches, whose result does not depend
// on the seed), the climb first skips the nodes of its path whose classes
// are estimated (sampleCount) at more than twice the most a feasible
// node can have (maxClasses): the first steps from the original data,
// each a pass over millions of classes that are all but unique, prove
// nothing the search needs. The path depends on the levels alone, so the
// first node worth rolling up is found by bisection.
func (s *searcher) greedy(ctx context.Context) (*node, error) {
	cur := s.e.bottom
	// An infeasible node of the climb is only passed through: its count
	// stops at the suppression limit (on millions of all but unique
	// records, the original data's would list every class as an outlier).
	if n := s.evaluate(cur, false); n.feasible {
		return n, nil
	}
	ws := s.workers()
	var path [][]int // the levels the climb goes through
	for lv := cur.levels; ; {
		i := s.narrowStep(lv)
		if i < 0 {
			break
		}
		lv = slices.Clone(lv)
		lv[i]++
		path = append(path, lv)
	}
	step := 0
	if s.skipEstimated && s.maxClasses > 0 {
		lo, hi := 0, len(path) // path[:lo] are estimated too large; path[hi:] are not
		for lo < hi {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			mid := (lo + hi) / 2
			if s.e.estimatedWithin(ws, cur, path[mid], 2*s.maxClasses) {
				hi = mid
			} else {
				lo = mid + 1
			}
		}
		step = lo
	}
	for ; step < len(path); step++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		n := s.evaluate(s.e.generalizePar(ws, cur, path[step], nil, 0), false)
		// Keep a node as a roll-up source only when it has at most half the
		// classes of the last one kept: a source barely smaller saves little
		// and, on large tables, each holds millions of classes.
		last := s.e.bottom
		if len(s.path) > 0 {
			last = s.path[len(s.path)-1]
		}
		if 2*n.fs.classes() <= last.classes() {
			s.e.mem.keep(n.fs, true)
			s.path = append(s.path, n.fs)
		}
		if n.feasible {
			return n, nil
		}
		cur = n.fs
	}
	return nil, nil
}

// narrowStep picks the quasi-identifier whose next level divides its number
// of distinct values the most per unit of the metric's lower bound.
func (s *searcher) narrowStep(levels []int) int {
	pick, bestGain := -1, -1.0
	base := s.sc.lower(s.metric, levels)
	for i, d := range s.e.lt.dims {
		if levels[i] >= d.height {
			continue
		}
		levels[i]++
		cost := s.sc.lower(s.metric, levels) - base
		levels[i]--
		gain := (math.Log(float64(len(d.labels[levels[i]]))) - math.Log(float64(len(d.labels[levels[i]+1])))) / math.Max(cost, 1e-12)
		if gain > bestGain {
			pick, bestGain = i, gain
		}
	}
	return pick
}

// heuristic improves the greedy node by local search: it moves to a
// feasible neighbour (one level down in one quasi-identifier, possibly one
// up in another) with a better metric while any exists, within a budget of
// evaluated nodes. Its result is not proven optimal.
func (s *searcher) heuristic(ctx context.Context, start *node) (*node, error) {
	if start == nil {
		return nil, nil
	}
	lt := s.e.lt
	best := start
	seen := map[string]bool{levelsKey(best.levels): true}
	for improved := true; improved && s.checked < heuristicBudget; {
		improved = false
		var next *node
		for i := range best.levels {
			if best.levels[i] == 0 {
				continue
			}
			for j := -1; j < len(best.levels); j++ {
				if j == i || j >= 0 && best.levels[j] >= lt.dims[j].height {
					continue
				}
				if err := ctx.Err(); err != nil {
					return nil, err
				}
				nl := append([]int(nil), best.levels...)
				nl[i]--
				if j >= 0 {
					nl[j]++
				}
				k := levelsKey(nl)
				if seen[k] || cannotWin(s.sc.lower(s.metric, nl), nl, best) {
					continue
				}
				seen[k] = true
				n := s.evaluate(s.e.generalize(s.e.bottom, nl, &s.ht, nil), false)
				if n.feasible && better(n, best) && better(n, next) {
					next = n
				}
			}
		}
		if next != nil {
			best, improved = next, true
		}
		if s.progress != nil {
			s.progress(s.checked, int64(min(lt.size, 1e18)))
		}
	}
	return best, nil
}

func levelsKey(l []int) string {
	b := make([]byte, len(l))
	for i, x := range l {
		b[i] = byte(x)
	}
	return string(b)
}
