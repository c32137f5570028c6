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
// row's class and the sensitive columns' codes.
func bottomHist(t *Table, sens []*sensAttr, rowClass []int32, classes int) *sparseHist {
	// Rows grouped by class (a counting sort), then each class's values
	// sorted and counted.
	start := make([]int32, classes+1)
	for _, c := range rowClass {
		start[c+1]++
	}
	for c := 1; c <= classes; c++ {
		start[c] += start[c-1]
	}
	order := make([]int32, len(rowClass))
	pos := slices.Clone(start[:classes])
	for r, c := range rowClass {
		order[pos[c]] = int32(r)
		pos[c]++
	}
	h := &sparseHist{off: make([]int32, classes+1)}
	h.key = make([]int32, 0, classes*len(sens))
	h.cnt = make([]int32, 0, classes*len(sens))
	var vals []int32
	for c := 0; c < classes; c++ {
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
			h.key = append(h.key, vals[i])
			h.cnt = append(h.cnt, int32(j-i))
			i = j
		}
		h.off[c+1] = int32(len(h.key))
	}
	return h
}

// rollUp sums the histograms of src's classes into classes of a node with
// outClasses classes (remap: src class → out class). Each out class's
// values are gathered from its source classes into a dense scratch of
// stride counters, touched values sorted: the work is the number of values
// present, not classes × stride.
func (h *sparseHist) rollUp(remap []int32, outClasses, stride int) *sparseHist {
	n := len(h.off) - 1
	start := make([]int32, outClasses+1)
	for _, o := range remap[:n] {
		start[o+1]++
	}
	for o := 1; o <= outClasses; o++ {
		start[o] += start[o-1]
	}
	order := make([]int32, n)
	pos := slices.Clone(start[:outClasses])
	for c, o := range remap[:n] {
		order[pos[o]] = int32(c)
		pos[o]++
	}
	out := &sparseHist{off: make([]int32, outClasses+1), key: make([]int32, 0, len(h.key)), cnt: make([]int32, 0, len(h.key))}
	var acc []int32
	var touched []int32
	for o := 0; o < outClasses; o++ {
		srcs := order[start[o]:start[o+1]]
		if len(srcs) == 1 {
			k, v := h.class(int(srcs[0]))
			out.key = append(out.key, k...)
			out.cnt = append(out.cnt, v...)
			out.off[o+1] = int32(len(out.key))
			continue
		}
		if acc == nil {
			acc = make([]int32, stride)
		}
		touched = touched[:0]
		for _, c := range srcs {
			k, v := h.class(int(c))
			for i, key := range k {
				if acc[key] == 0 {
					touched = append(touched, key)
				}
				acc[key] += v[i]
			}
		}
		slices.Sort(touched)
		for _, key := range touched {
			out.key = append(out.key, key)
			out.cnt = append(out.cnt, acc[key])
			acc[key] = 0
		}
		out.off[o+1] = int32(len(out.key))
	}
	return out
}
