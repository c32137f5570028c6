package anonymizer

import "slices"

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
	// cut[p]: the first class of part p, by the items before it
	cut := make([]int, parts+1)
	for p := 1; p < parts; p++ {
		want := int32(int64(items) * int64(p) / int64(parts))
		c, _ := slices.BinarySearch(start, want)
		cut[p] = max(cut[p-1], min(c, classes))
	}
	cut[parts] = classes
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

// rollUp sums the histograms of src's classes into classes of a node with
// outClasses classes (remap: src class → out class). The source classes are
// read in order and their values pushed into one bucket per out class (a
// counting sort of the values by out class: reading the source classes
// grouped by out class instead jumps about the source at random, a cache
// miss per class); then each bucket's values are summed, on up to workers
// cores (histParts): a bucket of one source class is its values; otherwise
// the values are gathered into a dense scratch of stride counters and the
// touched ones read back in order (sorted, or by a pass over the scratch
// when most of it was touched). The work is the number of values present,
// not classes × stride.
func (h *sparseHist) rollUp(remap []int32, outClasses, stride, workers int) *sparseHist {
	n := len(h.off) - 1
	remap = remap[:n]
	// start[o]: the first value of out class o's bucket; srcs[o]: the
	// source classes it sums (1 lets a bucket be copied as it is)
	start := make([]int32, outClasses+1)
	srcs := make([]int32, outClasses)
	for c, o := range remap {
		start[o+1] += h.off[c+1] - h.off[c]
		srcs[o]++
	}
	for o := 1; o <= outClasses; o++ {
		start[o] += start[o-1]
	}
	total := int(start[outClasses])
	bkey := hugePages(make([]int32, total))
	bcnt := hugePages(make([]int32, total))
	pos := slices.Clone(start[:outClasses])
	for c, o := range remap {
		a, b := h.off[c], h.off[c+1]
		p := pos[o]
		copy(bkey[p:], h.key[a:b])
		copy(bcnt[p:], h.cnt[a:b])
		pos[o] = p + b - a
	}
	pos = nil
	capFor := func(lo, hi int) int { return int(start[hi] - start[lo]) }
	return histParts(start, workers, capFor, func(lo, hi int, part *sparseHist) {
		var acc []int32
		var touched []int32
		for o := lo; o < hi; o++ {
			k, v := bkey[start[o]:start[o+1]], bcnt[start[o]:start[o+1]]
			if srcs[o] <= 1 {
				part.key = append(part.key, k...)
				part.cnt = append(part.cnt, v...)
				part.off[o-lo+1] = int32(len(part.key))
				continue
			}
			if acc == nil {
				acc = make([]int32, stride)
			}
			touched = touched[:0]
			for i, key := range k {
				if acc[key] == 0 {
					touched = append(touched, key)
				}
				acc[key] += v[i]
			}
			if len(touched) > stride/8 {
				// most of the scratch: one pass over it beats a sort
				for key, c := range acc {
					if c != 0 {
						part.key = append(part.key, int32(key))
						part.cnt = append(part.cnt, c)
						acc[key] = 0
					}
				}
			} else {
				slices.Sort(touched)
				for _, key := range touched {
					part.key = append(part.key, key)
					part.cnt = append(part.cnt, acc[key])
					acc[key] = 0
				}
			}
			part.off[o-lo+1] = int32(len(part.key))
		}
	})
}
