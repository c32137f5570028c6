package anonymizer

import (
	"math/bits"
	"slices"
)

// sparseHist holds the sensitive value counts of a frequency set's classes,
// only the values present in each class (ARX's way): class c's values are
// key[off[c]:off[c+1]] (indexes into the concatenated value space of the
// sensitive attributes, ascending) with their counts in cnt. A dense
// histogram per class over every distinct value would need classes ×
// values counters: 1.2 GB at the bottom of a 40,000-row table with 12,092
// distinct incomes.
type sparseHist struct {
	off []int32 // len = classes + 1
	key []int32
	cnt []int32
}

// class returns class c's values and counts.
func (h *sparseHist) class(c int) ([]int32, []int32) {
	a, b := h.off[c], h.off[c+1]
	return h.key[a:b], h.cnt[a:b]
}

// bottomHist builds the histograms of the bottom node's classes from each
// row's class and the sensitive columns' codes, the classes split into
// ranges built on up to workers cores (histParts).
func bottomHist(t *Table, sens []*sensAttr, rowClass []int32, classes, workers int) *sparseHist {
	// Rows grouped by class (a counting sort), then each class's values
	// sorted and counted.
	start, order := groupByClass(rowClass, classes)
	perClass := func(lo, hi int) int { return (hi - lo) * len(sens) }
	return histParts(start, workers, perClass, func(lo, hi int, part *sparseHist) {
		var vals []int32
		for c := lo; c < hi; c++ {
			vals = vals[:0]
			for _, r := range order[start[c]:start[c+1]] {
				for _, s := range sens {
					vals = append(vals, int32(s.off)+t.Columns[s.col].Codes[r])
				}
			}
			slices.Sort(vals)
			for i := 0; i < len(vals); {
				j := i + 1
				for j < len(vals) && vals[j] == vals[i] {
					j++
				}
				part.key = append(part.key, vals[i])
				part.cnt = append(part.cnt, int32(j-i))
				i = j
			}
			part.off[c-lo+1] = int32(len(part.key))
		}
	})
}

// groupByClass is a counting sort of items by their class: class c's
// items (indexes into of) are order[start[c]:start[c+1]], ascending.
func groupByClass(of []int32, classes int) (start, order []int32) {
	start = make([]int32, classes+1)
	for _, c := range of {
		start[c+1]++
	}
	for c := 1; c <= classes; c++ {
		start[c] += start[c-1]
	}
	order = make([]int32, len(of))
	pos := slices.Clone(start[:classes])
	for i, c := range of {
		order[pos[c]] = int32(i)
		pos[c]++
	}
	return start, order
}

// histPartMin is the fewest items (rows or source classes) per part of
// histParts: below it a histogram is built on one core.
const histPartMin = 1 << 16

// histParts builds a sparseHist over len(start)−1 classes whose items are
// grouped by start (groupByClass): fill(lo, hi, part) appends classes
// [lo, hi)'s values to part.key and part.cnt, setting part.off[c−lo+1] to
// the end of class c's values in the part. The classes are cut into
// ranges of about equal items, filled on up to workers cores, and the parts
// joined in class order: the result is the same whatever the workers.
// capFor(lo, hi) sizes a part's first allocation (about its values).
func histParts(start []int32, workers int, capFor func(lo, hi int) int, fill func(lo, hi int, part *sparseHist)) *sparseHist {
	classes := len(start) - 1
	items := int(start[classes])
	parts := min(4*workers, items/histPartMin)
	if parts <= 1 {
		est := capFor(0, classes)
		h := &sparseHist{off: make([]int32, classes+1), key: make([]int32, 0, est), cnt: make([]int32, 0, est)}
		fill(0, classes, h)
		return h
	}
	cut := cutByItems(start, parts)
	built := make([]*sparseHist, parts)
	parallelEach(workers, parts, func(p int) {
		lo, hi := cut[p], cut[p+1]
		est := capFor(lo, hi)
		part := &sparseHist{off: make([]int32, hi-lo+1), key: make([]int32, 0, est), cnt: make([]int32, 0, est)}
		fill(lo, hi, part)
		built[p] = part
	})
	total := 0
	for _, part := range built {
		total += len(part.key)
	}
	h := &sparseHist{off: make([]int32, classes+1), key: make([]int32, total), cnt: make([]int32, total)}
	parallelEach(workers, parts, func(p int) {
		base := int32(0)
		for _, q := range built[:p] {
			base += int32(len(q.key))
		}
		part := built[p]
		copy(h.key[base:], part.key)
		copy(h.cnt[base:], part.cnt)
		for i, o := range part.off[1:] {
			h.off[cut[p]+i+1] = base + o
		}
	})
	return h
}

// cutByItems cuts the classes whose items are grouped by start
// (groupByClass) into parts ranges of about equal items: part p is classes
// cut[p]..cut[p+1]−1.
func cutByItems(start []int32, parts int) []int {
	classes := len(start) - 1
	items := int(start[classes])
	cut := make([]int, parts+1)
	for p := 1; p < parts; p++ {
		want := int32(int64(items) * int64(p) / int64(parts))
		c, _ := slices.BinarySearch(start, want)
		cut[p] = max(cut[p-1], min(c, classes))
	}
	cut[parts] = classes
	return cut
}

// rollUp sums the histograms of src's classes into classes of a node with
// outClasses classes (remap: src class → out class). The source classes'
// values are pushed into a bucket per out class (buckets), each bucket is
// summed in place on up to workers cores (sumBucket), and the buckets are
// closed up into the result. The work is the number of values present, not
// classes × stride, and no value is copied more than twice.
func (h *sparseHist) rollUp(remap []int32, outClasses, stride, workers int) *sparseHist {
	b := h.buckets(remap, outClasses)
	total := int(b.start[outClasses])
	// size[o]: out class o's values, summed at the start of its bucket
	size := make([]int32, outClasses)
	parts := 1
	if workers > 1 {
		parts = max(1, min(4*workers, total/histPartMin))
	}
	cut := cutByItems(b.start, parts)
	parallelEach(workers, parts, func(p int) {
		var sc sumScratch
		for o := cut[p]; o < cut[p+1]; o++ {
			size[o] = b.sum(o, stride, &sc)
		}
	})
	// close the buckets up (values only move left: in place, in order)
	out := &sparseHist{off: make([]int32, outClasses+1)}
	w := int32(0)
	for o := range outClasses {
		lo := b.start[o]
		if w != lo {
			copy(b.key[w:w+size[o]], b.key[lo:lo+size[o]])
			copy(b.cnt[w:w+size[o]], b.cnt[lo:lo+size[o]])
		}
		w += size[o]
		out.off[o+1] = w
	}
	out.key, out.cnt = b.key[:w], b.cnt[:w]
	if int(w) < total/2 {
		// most values merged: do not keep the buckets' room
		out.key, out.cnt = slices.Clone(out.key), slices.Clone(out.cnt)
	}
	return out
}

// eachRolledUp is rollUp for a node that is only evaluated: it calls visit
// with each out class's summed values, in class order, on one core, and
// stops as soon as visit returns false; nothing is kept.
func (h *sparseHist) eachRolledUp(remap []int32, outClasses, stride int, visit func(o int, keys, cnts []int32) bool) {
	b := h.buckets(remap, outClasses)
	var sc sumScratch
	for o := range outClasses {
		n := b.sum(o, stride, &sc)
		lo := b.start[o]
		if !visit(o, b.key[lo:lo+n], b.cnt[lo:lo+n]) {
			return
		}
	}
}

// histBuckets holds the values of a histogram's classes pushed into one
// bucket per out class: out class o's are key, cnt[start[o]:start[o+1]],
// from srcs[o] source classes.
type histBuckets struct {
	start, srcs []int32
	key, cnt    []int32
}

// buckets pushes the values of h's classes into buckets by out class
// (remap: class → out class), reading the classes in order (a counting
// sort of the values by out class: reading the classes grouped by out
// class instead jumps about h at random, a cache miss per class).
func (h *sparseHist) buckets(remap []int32, outClasses int) *histBuckets {
	n := len(h.off) - 1
	remap = remap[:n]
	b := &histBuckets{start: make([]int32, outClasses+1), srcs: make([]int32, outClasses)}
	for c, o := range remap {
		b.start[o+1] += h.off[c+1] - h.off[c]
		b.srcs[o]++
	}
	for o := 1; o <= outClasses; o++ {
		b.start[o] += b.start[o-1]
	}
	total := int(b.start[outClasses])
	b.key = hugePages(make([]int32, total))
	b.cnt = hugePages(make([]int32, total))
	pos := slices.Clone(b.start[:outClasses])
	for c, o := range remap {
		p := pos[o]
		// a class holds a few values: a loop, not copy's call
		for i := h.off[c]; i < h.off[c+1]; i++ {
			b.key[p], b.cnt[p] = h.key[i], h.cnt[i]
			p++
		}
		pos[o] = p
	}
	return b
}

// sumScratch is sum's scratch: a dense counter per value (zero between
// calls) and the values touched.
type sumScratch struct {
	acc, touched []int32
}

// sum sums bucket o in place: its distinct values, ascending, with their
// counts, at the start of the bucket; it returns their number. A bucket of
// one source class is its sum already; otherwise the values are gathered
// into the dense scratch of stride counters and the touched ones read back
// in order (sorted, or by a pass over the scratch when a sort would cost
// more).
func (b *histBuckets) sum(o, stride int, sc *sumScratch) int32 {
	lo, hi := b.start[o], b.start[o+1]
	if b.srcs[o] <= 1 {
		return hi - lo
	}
	if sc.acc == nil {
		sc.acc = make([]int32, stride)
	}
	acc := sc.acc
	touched := sc.touched[:0]
	for i := lo; i < hi; i++ {
		k := b.key[i]
		if acc[k] == 0 {
			touched = append(touched, k)
		}
		acc[k] += b.cnt[i]
	}
	w := lo
	if t := len(touched); t*bits.Len(uint(t))*3 > stride {
		// a sort would cost more than a pass over the scratch
		for k, c := range acc {
			if c != 0 {
				b.key[w], b.cnt[w] = int32(k), c
				acc[k] = 0
				w++
			}
		}
	} else {
		slices.Sort(touched)
		for _, k := range touched {
			b.key[w], b.cnt[w] = k, acc[k]
			acc[k] = 0
			w++
		}
	}
	sc.touched = touched
	return w - lo
}
