package anonymizer

import (
	"math/bits"
	"sync/atomic"
)

// freqSet is the frequency set of one lattice node: its equivalence classes,
// each with a packed key (the level codes of every quasi-identifier), a size
// and, when models need them, the counts of each sensitive value.
type freqSet struct {
	levels []int
	keys   []uint64 // len = classes × words
	counts []int32
	hist   []int32 // len = classes × stride (sensitive value counts), or nil
}

func (f *freqSet) classes() int { return len(f.counts) }

// hashTable groups class keys; it is reused between nodes to avoid garbage.
type hashTable struct {
	slots []int32
	mask  uint64
	shift uint // 64 − log2(len(slots)): Fibonacci hashing takes the high bits
}

func (h *hashTable) reset(n int) {
	c := 16
	for c < 2*n {
		c <<= 1
	}
	if cap(h.slots) >= c {
		h.slots = h.slots[:c]
	} else {
		h.slots = make([]int32, c)
	}
	for i := range h.slots {
		h.slots[i] = -1
	}
	h.mask = uint64(c - 1)
	h.shift = uint(64 - bits.TrailingZeros(uint(c)))
}

// slot1 is the home slot of a one-word key.
func (h *hashTable) slot1(key uint64) uint64 { return (key * 0x9e3779b97f4a7c15) >> h.shift }

// slotN is the home slot of a multi-word key.
func (h *hashTable) slotN(k []uint64) uint64 {
	var x uint64
	for _, w := range k {
		x = (x ^ w) * 0x9e3779b97f4a7c15
		x ^= x >> 29
	}
	return (x * 0xbf58476d1ce4e5b9) >> h.shift
}

// insert finds key among the keys already in out (words per key) or appends
// it; it returns the class index and whether it was new.
func (h *hashTable) insert(out *freqSet, key []uint64, words int) (int32, bool) {
	i := h.slotN(key)
	for {
		s := h.slots[i]
		if s < 0 {
			idx := int32(len(out.counts))
			h.slots[i] = idx
			out.keys = append(out.keys, key...)
			out.counts = append(out.counts, 0)
			return idx, true
		}
		k := out.keys[int(s)*words : int(s)*words+words]
		same := true
		for j := range key {
			if k[j] != key[j] {
				same = false
				break
			}
		}
		if same {
			return s, false
		}
		i = (i + 1) & h.mask
	}
}

// insert1 is insert for one-word keys, the common case.
func (h *hashTable) insert1(out *freqSet, key uint64) int32 {
	i := h.slot1(key)
	for {
		s := h.slots[i]
		if s < 0 {
			idx := int32(len(out.counts))
			h.slots[i] = idx
			out.keys = append(out.keys, key)
			out.counts = append(out.counts, 0)
			return idx
		}
		if out.keys[s] == key {
			return s
		}
		i = (i + 1) & h.mask
	}
}

// encoded is a table prepared for the search: quasi-identifier dims, the
// sensitive attributes, and the bottom node's frequency set with each row's
// class in it.
type encoded struct {
	lt       *lattice
	sens     []*sensAttr
	stride   int
	rows     int
	bottom   *freqSet
	rowClass []int32 // row → class of bottom
	work     int64   // classes rolled up so far (a machine-independent cost)
}

// buildBottom groups the rows by their original quasi-identifier values.
func buildBottom(t *Table, lt *lattice, sens []*sensAttr, stride int) *encoded {
	e := &encoded{lt: lt, sens: sens, stride: stride, rows: t.Rows()}
	n := t.Rows()
	w := lt.words
	f := &freqSet{levels: make([]int, len(lt.dims))}
	var h hashTable
	h.reset(min(n, 1<<20))
	e.rowClass = make([]int32, n)
	key := make([]uint64, w)
	cols := make([][]int32, len(lt.dims))
	for i, d := range lt.dims {
		cols[i] = t.Columns[d.col].Codes
	}
	for r := 0; r < n; r++ {
		for j := range key {
			key[j] = 0
		}
		for i, d := range lt.dims {
			key[d.word] |= uint64(cols[i][r]) << d.shift
		}
		var c int32
		if w == 1 {
			c = h.insert1(f, key[0])
		} else {
			c, _ = h.insert(f, key, w)
		}
		f.counts[c]++
		e.rowClass[r] = c
		if 2*len(f.counts) > len(h.slots) {
			rehash(&h, f, w)
		}
	}
	if stride > 0 {
		f.hist = make([]int32, len(f.counts)*stride)
		for _, s := range sens {
			codes := t.Columns[s.col].Codes
			for r := 0; r < n; r++ {
				f.hist[int(e.rowClass[r])*stride+s.off+int(codes[r])]++
			}
		}
	}
	e.bottom = f
	return e
}

// rehash grows h to hold f's keys with room to spare.
func rehash(h *hashTable, f *freqSet, w int) {
	n := len(f.counts)
	h.reset(2 * n)
	for c := 0; c < n; c++ {
		var i uint64
		if w == 1 {
			i = h.slot1(f.keys[c])
		} else {
			i = h.slotN(f.keys[c*w : c*w+w])
		}
		for h.slots[i] >= 0 {
			i = (i + 1) & h.mask
		}
		h.slots[i] = int32(c)
	}
}

// generalize maps the frequency set src to the node levels (each level at
// least src's), grouping classes that become equal. remap, when not nil,
// receives for each class of src its class in the result.
func (e *encoded) generalize(src *freqSet, levels []int, h *hashTable, remap []int32) *freqSet {
	lt := e.lt
	w := lt.words
	n := src.classes()
	atomic.AddInt64(&e.work, int64(n))
	// Start small and grow: a roll-up to a general node has far fewer
	// classes than its source, and a table that stays in cache is fast.
	guess := min(n, 1<<10)
	out := &freqSet{levels: append([]int(nil), levels...), keys: make([]uint64, 0, guess*w), counts: make([]int32, 0, guess)}
	h.reset(guess)
	// per dim: a map from src level code to target level code, or nil if unchanged
	maps := make([][]int32, len(lt.dims))
	for i, d := range lt.dims {
		switch levels[i] - src.levels[i] {
		case 0:
		case 1:
			maps[i] = d.up[src.levels[i]]
		default:
			maps[i] = composeUp(d, src.levels[i], levels[i])
		}
	}
	if remap == nil && e.stride > 0 {
		remap = make([]int32, n)
	}
	type change struct {
		word  int
		shift uint
		mask  uint64
		to    []uint64 // level code → new code, shifted into place
	}
	var changes []change
	for i, m := range maps {
		if m == nil {
			continue
		}
		d := lt.dims[i]
		to := make([]uint64, len(m))
		for k, v := range m {
			to[k] = uint64(v) << d.shift
		}
		changes = append(changes, change{d.word, d.shift, d.mask, to})
	}
	if w == 1 {
		for c, k := range src.keys {
			for _, ch := range changes {
				k = k&^(ch.mask<<ch.shift) | ch.to[(k>>ch.shift)&ch.mask]
			}
			j := h.insert1(out, k)
			if 2*len(out.counts) > len(h.slots) {
				rehash(h, out, w)
			}
			out.counts[j] += src.counts[c]
			if remap != nil {
				remap[c] = j
			}
		}
	} else {
		key := make([]uint64, w)
		for c := 0; c < n; c++ {
			copy(key, src.keys[c*w:c*w+w])
			for _, ch := range changes {
				k := key[ch.word]
				key[ch.word] = k&^(ch.mask<<ch.shift) | ch.to[(k>>ch.shift)&ch.mask]
			}
			j, _ := h.insert(out, key, w)
			if 2*len(out.counts) > len(h.slots) {
				rehash(h, out, w)
			}
			out.counts[j] += src.counts[c]
			if remap != nil {
				remap[c] = j
			}
		}
	}
	if e.stride > 0 {
		s := e.stride
		out.hist = make([]int32, out.classes()*s)
		for c := 0; c < n; c++ {
			dst := out.hist[int(remap[c])*s : int(remap[c])*s+s]
			for k, v := range src.hist[c*s : c*s+s] {
				dst[k] += v
			}
		}
	}
	return out
}

// composeUp maps level codes of d from level a up to level b.
func composeUp(d *dim, a, b int) []int32 {
	m := make([]int32, len(d.labels[a]))
	for i := range m {
		c := int32(i)
		for l := a; l < b; l++ {
			c = d.up[l][c]
		}
		m[i] = c
	}
	return m
}

// code returns class c's level code in dim i.
func (e *encoded) code(f *freqSet, c, i int) int32 {
	d := e.lt.dims[i]
	return int32((f.keys[c*e.lt.words+d.word] >> d.shift) & d.mask)
}
