package anonymizer

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"
)

// mondrianPart is one partition of Mondrian's recursion: the original
// classes it holds and, per quasi-identifier, the hierarchy node every
// record is generalized to (level height+1 is the root "*" above a
// hierarchy whose top has several values).
type mondrianPart struct {
	classes []int32
	level   []int
	code    []int32
	size    int64
}

// mondrian is multidimensional local recoding (LeFevre et al.'s Mondrian,
// over hierarchies): start with the whole table generalized to the top of
// every hierarchy and split a partition into the children of its node in
// one quasi-identifier, the widest first, whenever every part still
// satisfies the models; recurse until no split is allowed. Different
// partitions may use different levels of the same attribute. No record is
// suppressed; when the whole table violates the models it returns
// ErrNoSolution. The result is not proven optimal.
func mondrian(ctx context.Context, t *Table, cfg Config, dims []*dim, sens []*sensAttr, stride int) (*Result, error) {
	began := time.Now()
	lt := newLattice(dims)
	e := buildBottomPar(t, lt, sens, stride)
	ck := newChecker(cfg.Models, sens)
	b := e.bottom
	root := &mondrianPart{level: make([]int, len(dims)), code: make([]int32, len(dims))}
	for c := range b.counts {
		root.classes = append(root.classes, int32(c))
		root.size += int64(b.counts[c])
	}
	for i, d := range dims {
		root.level[i] = d.height
		if len(d.labels[d.height]) > 1 {
			root.level[i] = d.height + 1
		}
	}
	hist := make([]int32, stride)
	var keys, cnts []int32
	okPart := func(classes []int32) bool {
		var n int32
		for i := range hist {
			hist[i] = 0
		}
		for _, c := range classes {
			n += b.counts[c]
			if b.hist != nil {
				k, v := b.hist.class(int(c))
				for i, key := range k {
					hist[key] += v[i]
				}
			}
		}
		keys, cnts = keys[:0], cnts[:0]
		for key, v := range hist {
			if v > 0 {
				keys, cnts = append(keys, int32(key)), append(cnts, v)
			}
		}
		return ck.ok(n, keys, cnts)
	}
	if !okPart(root.classes) {
		return nil, ErrNoSolution
	}
	var done []*mondrianPart
	stack := []*mondrianPart{root}
	for len(stack) > 0 {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("mondrian: %w", err)
		}
		p := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		parts := splitMondrian(e, p, okPart)
		if parts == nil {
			done = append(done, p)
			continue
		}
		stack = append(stack, parts...)
	}
	return mondrianRelease(t, cfg, e, done, time.Since(began)), nil
}

// splitMondrian tries the quasi-identifiers from the widest node (largest
// share of its hierarchy) down and returns the first allowed split, or nil.
func splitMondrian(e *encoded, p *mondrianPart, ok func([]int32) bool) []*mondrianPart {
	dims := e.lt.dims
	order := make([]int, 0, len(dims))
	width := make([]float64, len(dims))
	for i, d := range dims {
		if p.level[i] == 0 {
			continue
		}
		width[i] = 1
		if p.level[i] <= d.height {
			width[i] = float64(d.hcount[p.level[i]][p.code[i]]) / float64(d.hsize)
		}
		order = append(order, i)
	}
	sort.SliceStable(order, func(a, b int) bool { return width[order[a]] > width[order[b]] })
	for _, i := range order {
		child := p.level[i] - 1
		groups := map[int32][]int32{}
		var keys []int32
		for _, c := range p.classes {
			code := levelCode(e, c, i, child)
			if _, seen := groups[code]; !seen {
				keys = append(keys, code)
			}
			groups[code] = append(groups[code], c)
		}
		if len(keys) < 2 {
			// one child only: descend without splitting (no privacy cost)
			q := *p
			q.level = append([]int(nil), p.level...)
			q.code = append([]int32(nil), p.code...)
			q.level[i], q.code[i] = child, keys[0]
			return []*mondrianPart{&q}
		}
		allowed := true
		for _, k := range keys {
			if !ok(groups[k]) {
				allowed = false
				break
			}
		}
		if !allowed {
			continue
		}
		sort.Slice(keys, func(a, b int) bool { return keys[a] < keys[b] })
		parts := make([]*mondrianPart, 0, len(keys))
		for _, k := range keys {
			q := &mondrianPart{classes: groups[k], level: append([]int(nil), p.level...), code: append([]int32(nil), p.code...)}
			q.level[i], q.code[i] = child, k
			for _, c := range q.classes {
				q.size += int64(e.bottom.counts[c])
			}
			parts = append(parts, q)
		}
		return parts
	}
	return nil
}

// levelCode is the code at level of bottom class c in dim i.
func levelCode(e *encoded, c int32, i, level int) int32 {
	d := e.lt.dims[i]
	code0 := e.code(e.bottom, int(c), i)
	return d.gen[level][code0]
}

// mondrianRelease writes the partitions out and measures them.
func mondrianRelease(t *Table, cfg Config, e *encoded, parts []*mondrianPart, took time.Duration) *Result {
	dims := e.lt.dims
	n := int64(e.rows)
	partOf := make([]int32, e.bottom.classes())
	sizes := make([]int64, len(parts))
	for pi, p := range parts {
		for _, c := range p.classes {
			partOf[c] = int32(pi)
		}
		sizes[pi] = p.size
	}
	res := &Result{RowsIn: t.Rows(), Transformation: map[string]int{}, Levels: make([]int, len(dims))}
	gens := map[int]colGen{}
	covered := make([]int64, len(dims))
	var prec, disc, ent float64
	for i, d := range dims {
		labels := []string{}
		index := map[string]int32{}
		partLabel := make([]int32, len(parts))
		for pi, p := range parts {
			lab, hc, lvl := Suppressed, d.hsize, d.height
			if p.level[i] <= d.height {
				lab, hc, lvl = d.labels[p.level[i]][p.code[i]], d.hcount[p.level[i]][p.code[i]], p.level[i]
			}
			res.Levels[i] = max(res.Levels[i], lvl)
			covered[i] += p.size * hc
			if d.height > 0 {
				prec += float64(p.size) * float64(lvl) / float64(d.height)
			}
			x, ok := index[lab]
			if !ok {
				x = int32(len(labels))
				labels = append(labels, lab)
				index[lab] = x
			}
			partLabel[pi] = x
		}
		perRow := make([]int32, t.Rows())
		cnt := make([]int64, len(labels))
		for r := range perRow {
			perRow[r] = partLabel[partOf[e.rowClass[r]]]
			cnt[perRow[r]]++
		}
		codes := t.Columns[d.col].Codes
		for r := range perRow {
			ent += math.Log2(float64(cnt[perRow[r]])) - math.Log2(float64(d.freq[0][d.gen[0][codes[r]]]))
		}
		gens[d.col] = colGen{labels: labels, perRow: perRow}
		res.Transformation[d.name] = res.Levels[i]
	}
	for _, s := range sizes {
		disc += float64(s) * float64(s)
	}
	sc := newScorer(e)
	res.Metrics = Metrics{Loss: sc.lossOf(covered), Discernibility: disc, NonUniformEntropy: ent}
	if len(dims) > 0 && n > 0 {
		res.Metrics.Precision = prec / float64(n*int64(len(dims)))
	}
	fillClassStats(res, sizes, 0)
	res.Risk = measureRisk(sizes, 0, uniques(e.bottom.counts))
	began := time.Now()
	res.Table, res.Phases.Pseudonymize = transformTable(t, cfg, gens, nil)
	res.Phases.Release = time.Since(began) // its encoding is inside the search
	res.RowsOut = res.Table.Rows()
	res.Optimal, res.SearchDuration = false, took
	res.NodesChecked = int64(len(parts))
	return res
}
