package anonymizer

import "math"

// A node checked by the top-down search is evaluated and dropped: its
// classes are never a roll-up source. When the models are k-anonymity and
// distinct l-diversity alone, evaluating it needs, of each class's
// sensitive values, only whether each attribute has at least ⌈l⌉ distinct
// ones. distinctSet computes exactly that while the classes are rolled up,
// instead of summing the sparse histograms into the node's (a counting sort
// of the source classes and a sort of each class's values).

// distinctNeed is the distinct values per attribute a class needs under
// models m (0: the models need more than distinct counts: no shortcut). A
// class has len(h) ≥ l.L distinct values, len an integer, exactly when it
// has at least ⌈l.L⌉ (ck.diverse).
func distinctNeed(m Models, sens []*sensAttr) int {
	if m.T > 0 || m.L == nil || m.L.Kind != LDistinct || len(sens) == 0 {
		return 0
	}
	need := int(math.Ceil(m.L.L))
	if need < 1 || need > distinctMaxNeed {
		return 0
	}
	return need
}

// distinctMaxNeed bounds the l of the shortcut: each class remembers up to
// l − 1 values per attribute.
const distinctMaxNeed = 8

// distinctSet holds, per class of a node and per sensitive attribute, the
// number of distinct values in the class, counted up to need.
type distinctSet struct {
	need  int
	attrs int
	n     []uint8 // class × attribute: distinct values, at most need
	// seen: need − 1 slots per class × attribute, the first n of them its
	// values while n < need (all of them: a roll-up of such classes is
	// exact too, rollUp)
	seen []int32
}

// ok reports whether every attribute of class c has need distinct values.
func (d *distinctSet) ok(c int) bool {
	for _, x := range d.n[c*d.attrs : (c+1)*d.attrs] {
		if int(x) < d.need {
			return false
		}
	}
	return true
}

// distinctUpTo counts, for each of outClasses classes, the distinct
// sensitive values of the src classes remap sends to it, per attribute and
// up to need. The value keys of a class are ascending, attribute by
// attribute (sparseHist), so a key's attribute is found by walking sens.
func (h *sparseHist) distinctUpTo(remap []int32, outClasses int, sens []*sensAttr, need int) *distinctSet {
	na := len(sens)
	d := &distinctSet{need: need, attrs: na, n: make([]uint8, outClasses*na)}
	if need <= 1 {
		// one value suffices: every class has at least one record, hence a
		// value of each attribute
		for i := range d.n {
			d.n[i] = uint8(need)
		}
		return d
	}
	keep := need - 1 // values remembered per class and attribute
	seen := make([]int32, outClasses*na*keep)
	d.seen = seen
	ends := make([]int32, na) // attribute a's keys are below ends[a]
	for a, s := range sens {
		ends[a] = int32(s.off + s.m)
	}
	n := len(h.off) - 1
	for c := 0; c < n; c++ {
		o := int(remap[c])
		a := 0
		for i := h.off[c]; i < h.off[c+1]; i++ {
			k := h.key[i]
			for k >= ends[a] {
				a++
			}
			d.add(o*na+a, k)
		}
	}
	return d
}

// add counts value k in slot (class × attribute) unless it is there or the
// slot has need values already.
func (d *distinctSet) add(slot int, k int32) {
	got := int(d.n[slot])
	if got >= d.need {
		return
	}
	keep := d.need - 1
	for _, v := range d.seen[slot*keep : slot*keep+got] {
		if v == k {
			return
		}
	}
	if got < keep {
		d.seen[slot*keep+got] = k
	}
	d.n[slot] = uint8(got + 1)
}

// rollUp counts the distinct values of outClasses classes made of d's
// (remap: d's class → out class): a class of d with need values or more
// gives its out class as many; one with fewer lists them all.
func (d *distinctSet) rollUp(remap []int32, outClasses int) *distinctSet {
	na, need := d.attrs, d.need
	out := &distinctSet{need: need, attrs: na, n: make([]uint8, outClasses*na)}
	if need <= 1 {
		for i := range out.n {
			out.n[i] = uint8(need)
		}
		return out
	}
	keep := need - 1
	out.seen = make([]int32, outClasses*na*keep)
	n := len(d.n) / na
	for c := 0; c < n; c++ {
		o := int(remap[c])
		for a := 0; a < na; a++ {
			src, dst := c*na+a, o*na+a
			if int(d.n[src]) >= need {
				out.n[dst] = uint8(need)
				continue
			}
			for _, k := range d.seen[src*keep : src*keep+int(d.n[src])] {
				out.add(dst, k)
			}
		}
	}
	return out
}
