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
// summed in place on up to workers cores (sum), and the sums are copied
// into the result. The work is the number of values present, not classes ×
// stride.
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
	out := &sparseHist{off: make([]int32, outClasses+1)}
	for o, n := range size {
		out.off[o+1] = out.off[o] + n
	}
	w := out.off[outClasses]
	out.key = hugePages(make([]int32, w))
	out.cnt = hugePages(make([]int32, w))
	parallelEach(workers, parts, func(p int) {
		for o := cut[p]; o < cut[p+1]; o++ {
			at := out.off[o]
			for i, x := range b.kv[b.start[o] : b.start[o]+size[o]] {
				out.key[at+int32(i)], out.cnt[at+int32(i)] = x.key, x.cnt
			}
		}
	})
	return out
}

// eachRolledUp is rollUp for a node that is only evaluated: it calls visit
// with each out class's summed values, in class order, on one core, and
// stops as soon as visit returns false; nothing is kept.
func (h *sparseHist) eachRolledUp(remap []int32, outClasses, stride int, visit func(o int, keys, cnts []int32) bool) {
	b := h.buckets(remap, outClasses)
	var sc sumScratch
	var keys, cnts []int32
	for o := range outClasses {
		n := b.sum(o, stride, &sc)
		keys, cnts = keys[:0], cnts[:0]
		for _, x := range b.kv[b.start[o] : b.start[o]+n] {
			keys, cnts = append(keys, x.key), append(cnts, x.cnt)
		}
		if !visit(o, keys, cnts) {
			return
		}
	}
}

// histBuckets holds the values of a histogram's classes pushed into one
// bucket per out class: out class o's are kv[start[o]:start[o+1]], from
// srcs[o] source classes.
type histBuckets struct {
	start, srcs []int32
	kv          []keyCount
}

// keyCount is a value and its count, side by side: pushing a class's
// values into its bucket touches one cache line, not one per array.
type keyCount struct {
	key, cnt int32
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
	b.kv = hugePages(make([]keyCount, b.start[outClasses]))
	pos := slices.Clone(b.start[:outClasses])
	for c, o := range remap {
		p := pos[o]
		// a class holds a few values: a loop, not copy's call
		for i := h.off[c]; i < h.off[c+1]; i++ {
			b.kv[p] = keyCount{h.key[i], h.cnt[i]}
			p++
		}
		pos[o] = p
	}
	return b
}

// sumScratch is sum's scratch: a dense counter per value (zero between
// calls), the values touched and, for many of them, a bit per value.
type sumScratch struct {
	acc, touched []int32
	set          bitSet
}

// bitSet is a set of small integers, read back in ascending order: for a
// few hundred values or more of a large space, marking them and walking
// the words costs less than sorting them.
type bitSet []uint64

// sized returns the set with room for values below n (empty).
func (b bitSet) sized(n int) bitSet {
	if w := (n + 63) / 64; len(b) < w {
		return make(bitSet, w)
	}
	return b
}

func (b bitSet) add(x int32) { b[x>>6] |= 1 << (x & 63) }

// drain calls fn with each value in ascending order and empties the set
// (a pass over its words, the empty ones skipped).
func (b bitSet) drain(fn func(x int32)) {
	for w, word := range b {
		if word == 0 {
			continue
		}
		b[w] = 0
		for word != 0 {
			fn(int32(w<<6 + bits.TrailingZeros64(word)))
			word &= word - 1
		}
	}
}

// manyOf reports whether t values of a space of n are better read back by
// a bitSet (one pass over n/64 words) than sorted.
func manyOf(t, n int) bool {
	return t*bits.Len(uint(t)) > n/16
}

// sum sums bucket o in place: its distinct values, ascending, with their
// counts, at the start of the bucket; it returns their number. A bucket of
// one source class is its sum already; otherwise the values are gathered
// into the dense scratch of stride counters and the touched ones read back
// in order (sorted, or marked in a bitSet when they are many).
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
	for _, x := range b.kv[lo:hi] {
		if acc[x.key] == 0 {
			touched = append(touched, x.key)
		}
		acc[x.key] += x.cnt
	}
	w := lo
	if manyOf(len(touched), stride) {
		sc.set = sc.set.sized(stride)
		for _, k := range touched {
			sc.set.add(k)
		}
		sc.set.drain(func(k int32) {
			b.kv[w] = keyCount{k, acc[k]}
			acc[k] = 0
			w++
		})
	} else {
		slices.Sort(touched)
		for _, k := range touched {
			b.kv[w] = keyCount{k, acc[k]}
			acc[k] = 0
			w++
		}
	}
	sc.touched = touched
	return w - lo
}
