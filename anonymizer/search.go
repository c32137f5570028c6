package anonymizer

import (
	"math"
)

// node is an evaluated lattice node.
type node struct {
	levels     []int
	fs         *freqSet
	outliers   []int32 // classes that violate a model (suppressed)
	suppressed int64
	feasible   bool
	score      float64
}

// searcher holds what one search needs: the encoded table, the models and
// the metric. It is not safe for concurrent use.
type searcher struct {
	e      *encoded
	models Models
	ck     *checker
	sc     *scorer
	metric Metric
	maxOut int64
	ht     hashTable
	// pairCells: scratch counters of dense pair projections (groupPairKeys)
	pairCells []int32
	checked   int64
	path      []*freqSet // the nodes the greedy climb evaluated, to roll up from
	// projOut[d][level]: records whose value of quasi-identifier d alone, at
	// level, is shared by fewer than k records (nil without k-anonymity).
	projOut [][]int64
	// maxClasses bounds the classes of a node that satisfies the models
	// within the suppression limit (see classBound).
	maxClasses int
	aborted    int64 // roll-ups given up at maxClasses or by their sizes
	// sizeStopped: checks given up by their classes' sizes (sizeStop)
	sizeStopped int64
	// pairEstimated: pair projections given up on an estimate of their
	// groups (pairGroupUpTo)
	pairEstimated int64
	pruned        int64 // nodes proven infeasible by pair projections
	// pairMin: the fewest original classes for which the top-down search
	// tries pair projections (pairMinClasses; tests lower it)
	pairMin  int
	progress func(done, total int64)
	// skipEstimated: the greedy climb may skip nodes estimated far too
	// fine to be feasible (exact searches only: see greedy)
	skipEstimated bool
	// noFloor: the top-down search keeps to the first floor (addFloor)
	// instead of raising it level by level (raiseFloor); tests compare
	noFloor bool
	// noFirstFloor: no first floor either (tests make raiseFloor narrow
	// the original data's keys)
	noFirstFloor bool
	floors       int64 // floors raised (raiseFloor)
	// dropRef: suppressed records are left out of the release
	// (Config.DropSuppressed), so t-closeness is measured against the
	// released records' distribution (evaluateReleased).
	dropRef bool
}

// classBound is the most classes a node over n records can have and still
// satisfy models whose classes need at least m records each, suppressing
// at most maxOut records: with s ≤ maxOut records suppressed, the released
// classes hold n − s records, at least m each, and the suppressed classes
// at least one each, so classes ≤ ⌊(n − s)/m⌋ + s, which does not decrease
// with s. It returns 0 (no bound) when m ≤ 1.
func classBound(n, m int, maxOut int64) int {
	if m <= 1 || maxOut > int64(n) {
		return 0
	}
	return (n-int(maxOut))/m + int(maxOut)
}

func newSearcher(e *encoded, m Models, metric Metric, progress func(done, total int64)) *searcher {
	s := &searcher{
		e: e, models: m, ck: newChecker(m, e.sens), sc: newScorer(e), metric: metric,
		maxOut:   int64(math.Floor(m.Suppression*float64(e.rows) + 1e-9)),
		progress: progress,
	}
	s.maxClasses = classBound(e.rows, s.ck.minRecords(), s.maxOut)
	s.pairMin = pairMinClasses
	if m.K > 1 {
		for _, d := range e.lt.dims {
			out := make([]int64, d.height+1)
			for l, freqs := range d.freq {
				for _, f := range freqs {
					if f < int64(m.K) {
						out[l] += f
					}
				}
			}
			s.projOut = append(s.projOut, out)
		}
	}
	return s
}

// projectionViolates reports whether levels certainly violate k-anonymity
// within the suppression limit: every class of the node lies inside the
// class of its value in one quasi-identifier alone, so records whose value
// (at its level) occurs fewer than k times are all in violating classes.
func (s *searcher) projectionViolates(levels []int) bool {
	for i, out := range s.projOut {
		if out[levels[i]] > s.maxOut {
			return true
		}
	}
	return false
}

// evaluate finds the classes of f that violate the models; the node is
// feasible when their records number at most the suppression limit. When
// full is false it stops counting once the limit is passed.
func (s *searcher) evaluate(f *freqSet, full bool) *node {
	if s.dropRef && s.models.T > 0 && f.hist != nil {
		return s.evaluateReleased(f)
	}
	s.checked++
	n := &node{levels: f.levels, fs: f}
	for c, cnt := range f.counts {
		var good bool
		if f.distinct != nil { // k-anonymity and distinct l-diversity alone
			good = cnt >= s.ck.minSize && f.distinct.ok(c)
		} else {
			var keys, cnts []int32
			if f.hist != nil {
				keys, cnts = f.hist.class(c)
			}
			good = s.ck.ok(cnt, keys, cnts)
		}
		if !good {
			n.outliers = append(n.outliers, int32(c))
			n.suppressed += int64(cnt)
			if n.suppressed > s.maxOut && !full {
				return n
			}
		}
	}
	n.feasible = n.suppressed <= s.maxOut
	if n.feasible {
		n.score = s.sc.score(s.metric, f, n.outliers, n.suppressed)
	}
	return n
}

// evaluateRolledUp is evaluate for a node whose classes f were rolled up
// from src (remap: src class → class of f) without their histograms, a
// node that is only checked: each class's values are summed and checked in
// turn, never kept, and the count stops, as evaluate's, once the
// suppression limit is passed (most checked nodes are infeasible, many far
// beyond the limit).
func (s *searcher) evaluateRolledUp(f, src *freqSet, remap []int32) *node {
	s.checked++
	n := &node{levels: f.levels, fs: f}
	src.hist.eachRolledUp(remap, f.classes(), s.e.stride, func(c int, keys, cnts []int32) bool {
		if cnt := f.counts[c]; !s.ck.ok(cnt, keys, cnts) {
			n.outliers = append(n.outliers, int32(c))
			n.suppressed += int64(cnt)
		}
		return n.suppressed <= s.maxOut
	})
	n.feasible = n.suppressed <= s.maxOut
	if n.feasible {
		n.score = s.sc.score(s.metric, f, n.outliers, n.suppressed)
	}
	return n
}

// better reports whether a beats b: a lower metric, then (ties) a lower
// total level, then the lexicographically smaller levels.
func better(a, b *node) bool {
	if b == nil {
		return true
	}
	if d := a.score - b.score; math.Abs(d) > tieEps(a.score, b.score) {
		return d < 0
	}
	return lessLevels(a.levels, b.levels)
}

func tieEps(a, b float64) float64 {
	return 1e-12 * math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

// cannotWin reports whether a node with lower bound lb at levels can neither
// beat nor tie-break past best.
func cannotWin(lb float64, levels []int, best *node) bool {
	if best == nil {
		return false
	}
	eps := tieEps(lb, best.score)
	if lb > best.score+eps {
		return true
	}
	return lb > best.score-eps && !lessLevels(levels, best.levels)
}
