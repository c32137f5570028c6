package anonymizer

import (
	"math"
	"math/bits"
	"sync/atomic"
)

// freqSet is the frequency set of one lattice node: its equivalence classes,
// each with a packed key (the level codes of every quasi-identifier), a size
// and, when models need them, the counts of each sensitive value.
type freqSet struct {
	levels []int
	lay    *layout
	keys   []uint64 // len = classes × lay.words
	counts []int32
	hist   *sparseHist // the sensitive values present in each class, or nil
	// distinct, instead of hist on a node only evaluated (generalizeCheck):
	// each class's distinct sensitive values per attribute, up to l
	distinct *distinctSet
}

func (f *freqSet) classes() int { return len(f.counts) }

// hashTable groups class keys; it is reused between nodes to avoid garbage.
type hashTable struct {
	ents  []ent1   // one-word keys (generalize)
	keys  []uint64 // scratch of groupPartitioned
	part  []ent1
	slots []int32
	mask  uint64
	shift uint // 64 − log2(len(slots)): Fibonacci hashing takes the high bits
	// stop, when set: groupPartitioned also gives up once the records of
	// the classes found smaller than stop.min (classes are complete
	// partition by partition) exceed stop.most
	stop *sizeStop
}

// sizeStop is the proof of infeasibility by class sizes that a node's
// roll-up may stop at (searcher.sizeViolates): more than most records in
// classes of fewer than min records.
type sizeStop struct {
	min   int32
	most  int64
	fired bool // the roll-up was given up for it
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

// ent1 is a slot of the one-word table: a class key, its index in the
// result (−1: empty slot) and its record count.
type ent1 struct {
	key uint64
	idx int32
	cnt int32
}

// reset1 empties the one-word table, sized for n keys.
func (h *hashTable) reset1(n int) {
	c := 16
	for c < 2*n {
		c <<= 1
	}
	if cap(h.ents) >= c {
		h.ents = h.ents[:c]
	} else {
		h.ents = make([]ent1, c)
	}
	for i := range h.ents {
		h.ents[i] = ent1{idx: -1}
	}
	h.mask = uint64(c - 1)
	h.shift = uint(64 - bits.TrailingZeros(uint(c)))
}

// grow1 doubles the one-word table, keeping its entries.
func (h *hashTable) grow1() {
	old := h.ents
	h.ents = nil
	h.reset1(len(old))
	for _, en := range old {
		if en.idx < 0 {
			continue
		}
		i := h.slot1(en.key)
		for h.ents[i].idx >= 0 {
			i = (i + 1) & h.mask
		}
		h.ents[i] = en
	}
}

// partitionMin is the fewest source classes grouped by partitions: below
// it the hash table stays in cache anyway.
const partitionMin = 1 << 16

// scratchKeys returns h's reusable buffer of n keys.
func (h *hashTable) scratchKeys(n int) []uint64 {
	if cap(h.keys) < n {
		h.keys = hugePages(make([]uint64, n))
	}
	return h.keys[:n]
}

// group1 groups one-word keys with their counts into out (keys and counts
// only), partitioned when there are many; at most bound groups can form.
// It returns false, out then being partial, once out has more than limit
// groups (limit ≤ 0: no limit).
func (h *hashTable) group1(out *freqSet, keys []uint64, counts []int32, bound, limit int) bool {
	if limit <= 0 {
		limit = math.MaxInt
	}
	if min(len(keys), bound) >= partitionMin {
		return h.groupPartitioned(out, keys, counts, nil, limit)
	}
	h.reset1(min(len(keys), 1<<10))
	for c, k := range keys {
		i := h.slot1(k)
		for {
			en := &h.ents[i]
			if en.idx < 0 {
				*en = ent1{key: k, idx: int32(len(out.keys)), cnt: counts[c]}
				out.keys = append(out.keys, k)
				break
			}
			if en.key == k {
				en.cnt += counts[c]
				break
			}
			i = (i + 1) & h.mask
		}
		if len(out.keys) > limit {
			return false
		}
		if 2*len(out.keys) > len(h.ents) {
			h.grow1()
		}
	}
	out.counts = make([]int32, len(out.keys))
	for _, en := range h.ents {
		if en.idx >= 0 {
			out.counts[en.idx] = en.cnt
		}
	}
	return true
}

// groupPartitioned groups the one-word keys (with their counts) into out's
// classes, remap receiving each key's class when not nil. A table for a
// million keys does not fit in cache, and every probe would miss it: the
// keys are first scattered by the high bits of their hash into partitions
// of a few thousand, then each partition is grouped in a small table that
// does, its distinct keys written back over its own entries (a partition
// has at most as many classes as keys), so that the result is allocated
// once, at its size. Classes are numbered partition by partition. It
// returns false, out then being partial, as soon as out has more than
// limit classes.
func (h *hashTable) groupPartitioned(out *freqSet, keys []uint64, counts []int32, remap []int32, limit int) bool {
	pbits := uint(bits.Len(uint(len(keys) >> 13)))
	start := partitionStarts(keys, pbits)
	parts := len(start) - 1
	// With a size stop, the first partitions (one in stopShare) are scattered and
	// grouped before the others: a node that violates by its sizes is
	// mostly proven so within them, and the rest is never scattered.
	early := parts
	if h.stop != nil {
		early = max(parts/stopShare, 1)
	}
	buf := h.scatterRange(keys, counts, pbits, start, 0, early)
	sizes := make([]int, parts)
	first := len(out.keys)
	found := first
	var small int64
	for p := 0; p < parts; p++ {
		if p == early {
			h.scatterRange(keys, counts, pbits, start, early, parts)
		}
		sizes[p] = h.groupInPlace(buf[start[p]:start[p+1]], pbits, remap, int32(found))
		found += sizes[p]
		if found > limit {
			return false
		}
		if h.stop != nil {
			// a partition holds whole classes: their sizes are final
			for _, x := range buf[start[p] : start[p]+sizes[p]] {
				if x.cnt < h.stop.min {
					small += int64(x.cnt)
				}
			}
			if small > h.stop.most {
				h.stop.fired = true
				return false
			}
		}
	}
	out.keys = growHuge(out.keys, found-first)
	out.counts = growHuge(out.counts, found-first)
	for p := 0; p < parts; p++ {
		for _, x := range buf[start[p] : start[p]+sizes[p]] {
			out.keys = append(out.keys, x.key)
			out.counts = append(out.counts, x.cnt)
		}
	}
	return true
}

// stopShare: with a size stop, groupPartitioned first scatters and groups
// one partition in stopShare (a node violating by its sizes was proven so,
// on 10 M rows, within a sixth of its partitions for half of the nodes).
const stopShare = 4

// partitionStarts counts the keys of each partition by the top pbits bits
// of their hash: partition p is [start[p], start[p+1]) of the scattered
// keys.
func partitionStarts(keys []uint64, pbits uint) []int {
	parts := 1 << pbits
	start := make([]int, parts+1)
	sh := partShift(pbits)
	for _, k := range keys {
		start[(k*0x9e3779b97f4a7c15)>>1>>sh+1]++
	}
	for p := 1; p <= parts; p++ {
		start[p] += start[p-1]
	}
	return start
}

// scatterRange copies the keys of partitions lo to hi−1 (with their class
// and count) into h's buffer at their places (partitionStarts), and returns
// the buffer.
func (h *hashTable) scatterRange(keys []uint64, counts []int32, pbits uint, start []int, lo, hi int) []ent1 {
	n := len(keys)
	if cap(h.part) < n {
		h.part = hugePages(make([]ent1, n))
	}
	buf := h.part[:n]
	pos := append([]int(nil), start[:hi]...)
	sh := partShift(pbits)
	if lo == 0 && hi == len(start)-1 {
		for c, k := range keys {
			p := (k * 0x9e3779b97f4a7c15) >> 1 >> sh
			buf[pos[p]] = ent1{key: k, idx: int32(c), cnt: counts[c]}
			pos[p]++
		}
		return buf
	}
	for c, k := range keys {
		p := int((k * 0x9e3779b97f4a7c15) >> 1 >> sh)
		if p >= lo && p < hi {
			buf[pos[p]] = ent1{key: k, idx: int32(c), cnt: counts[c]}
			pos[p]++
		}
	}
	return buf
}

// groupInPlace groups one partition made by scatter: remap (when not nil)
// receives each source class's class, base plus its index among the
// partition's distinct keys, numbered by first occurrence; the distinct keys
// and their counts are then written over the partition's first entries. It
// returns their number.
func (h *hashTable) groupInPlace(part []ent1, pbits uint, remap []int32, base int32) int {
	h.reset1(len(part))
	var m int32
	pb, hs := pbits&63, h.shift&63
	for _, x := range part {
		k := x.key
		// the partition fixed the hash's high bits: probe with the next ones
		i := ((k * 0x9e3779b97f4a7c15) << pb) >> hs
		for {
			en := &h.ents[i]
			if en.idx < 0 {
				*en = ent1{key: k, idx: m, cnt: x.cnt}
				m++
				break
			}
			if en.key == k {
				en.cnt += x.cnt
				break
			}
			i = (i + 1) & h.mask
		}
		if remap != nil {
			remap[x.idx] = base + h.ents[i].idx
		}
	}
	for _, en := range h.ents {
		if en.idx >= 0 {
			part[en.idx] = ent1{key: en.key, cnt: en.cnt}
		}
	}
	return int(m)
}

// estimateBits: sampleCount counts the distinct keys whose hash falls in
// one 2^estimateBits-th of the hash space at least.
const estimateBits = 4

// sampleMax is about the most keys a sampleCount keeps: 2^13 (its table,
// twice that, 256 KiB, stays in cache; every sampled key of a limit in the
// millions, one in sixteen, had missed it). About 8,000 samples give an
// estimate within a few per cent.
const sampleMax = 1 << 13

// sampleCount estimates the number of distinct keys of a sequence given
// in parts, until the estimate passes a limit: it counts exactly those
// whose hash falls in one 2^bits-th of the hash space (one in sixteen, or
// fewer for a limit above 16 × sampleMax, so that the table stays in
// cache) and scales up. Over a few hundred thousand keys its error is a
// few per cent.
type sampleCount struct {
	h    *hashTable
	bits uint
	m    int // distinct sampled keys so far
	max  int // the most sampled keys within the limit
}

// sampleReset empties h's one-word table for a sampleCount under limit.
func (h *hashTable) sampleReset(limit int) *sampleCount {
	b := uint(estimateBits)
	for limit>>b > sampleMax && b < 32 {
		b++
	}
	max := limit >> b
	h.reset1(max + 1)
	return &sampleCount{h: h, bits: b, max: max}
}

// add counts the sampled keys among keys; true once the estimate is above
// the limit (the count then stops).
func (sc *sampleCount) add(keys []uint64) bool {
	h := sc.h
	out, in := (64-sc.bits)&63, sc.bits&63
	shift := h.shift & 63
	for _, k := range keys {
		x := k * 0x9e3779b97f4a7c15
		if x>>out != 0 {
			continue
		}
		i := (x << in) >> shift
		for {
			en := &h.ents[i]
			if en.idx < 0 {
				*en = ent1{key: k, idx: 0}
				if sc.m++; sc.m > sc.max {
					return true
				}
				break
			}
			if en.key == k {
				break
			}
			i = (i + 1) & h.mask
		}
	}
	return false
}

// slot1 is the home slot of a one-word key.
func (h *hashTable) slot1(key uint64) uint64 {
	return (key * 0x9e3779b97f4a7c15) >> (h.shift & 63)
}

// partShift is the shift that takes a hash, shifted right by one, to its
// partition among 2^pbits (pbits < 64; 0 for one partition): a count below
// 64, so that the compiler emits a plain shift in the hot loops.
func partShift(pbits uint) uint { return (63 - pbits) & 63 }

// slotN is the home slot of a multi-word key.
func (h *hashTable) slotN(k []uint64) uint64 {
	var x uint64
	for _, w := range k {
		x = (x ^ w) * 0x9e3779b97f4a7c15
		x ^= x >> 29
	}
	return (x * 0xbf58476d1ce4e5b9) >> (h.shift & 63)
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
	mem      *bigMem // where large arrays go (nil: the heap; search_mem.go)
}

// buildBottom groups the rows by their original quasi-identifier values.
func buildBottom(t *Table, lt *lattice, sens []*sensAttr, stride int) *encoded {
	e := &encoded{lt: lt, sens: sens, stride: stride, rows: t.Rows(), mem: newBigMem(t)}
	n := t.Rows()
	w := lt.words
	f := &freqSet{levels: make([]int, len(lt.dims)), lay: lt.bottomLayout()}
	var h hashTable
	h.reset(min(n, 1<<20))
	if e.mem.on() {
		// mapped at their largest: the pages never touched cost nothing
		f.keys, f.counts = e.mem.u64(n * w)[:0], e.mem.i32(n)[:0]
	}
	e.rowClass = e.mem.i32(n)
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
			key[d.word] |= uint64(cols[i][r]) << (d.shift & 63)
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
		f.hist = bottomHist(t, sens, e.rowClass, len(f.counts), workersFor(t))
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
	return e.generalizeUpTo(src, levels, h, remap, 0)
}

// generalizeUpTo is generalize that gives up, returning nil, as soon as the
// result has more than limit classes (limit 0: no limit). Classes only
// merge as levels rise, so the classes found so far are a lower bound of
// the result's.
func (e *encoded) generalizeUpTo(src *freqSet, levels []int, h *hashTable, remap []int32, limit int) *freqSet {
	return e.rollUp(src, levels, h, remap, limit, false)
}

// generalizeCheck is generalizeUpTo for a node that is only evaluated,
// never a source: with need > 0 (distinctNeed), its classes carry their
// distinct sensitive values up to need rather than their histograms.
func (e *encoded) generalizeCheck(src *freqSet, levels []int, h *hashTable, limit, need int) *freqSet {
	if need == 0 || e.stride == 0 {
		return e.rollUp(src, levels, h, nil, limit, false)
	}
	return e.rollUpMode(src, levels, h, nil, limit, false, need)
}

// generalizeHub is generalizeUpTo for a roll-up that is only a source for
// others (a hub): it may also give up, before grouping, when an estimate of
// its classes (sampleCount) is above limit. The search's result does
// not depend on which hubs exist, only its speed does.
// With need > 0 (distinctNeed) the hub carries distinct values up to need,
// all its roll-ups being checked nodes or hubs.
func (e *encoded) generalizeHub(src *freqSet, levels []int, h *hashTable, limit, need int) *freqSet {
	return e.rollUpMode(src, levels, h, nil, limit, true, need)
}

func (e *encoded) rollUp(src *freqSet, levels []int, h *hashTable, remap []int32, limit int, estimate bool) *freqSet {
	return e.rollUpMode(src, levels, h, remap, limit, estimate, 0)
}

// rollUpMode is rollUp; need > 0 gives the result distinct counts up to
// need instead of histograms (generalizeCheck), needNone no sensitive
// values at all (the caller adds them from remap: checkTopDown).
func (e *encoded) rollUpMode(src *freqSet, levels []int, h *hashTable, remap []int32, limit int, estimate bool, need int) *freqSet {
	if limit <= 0 {
		limit = math.MaxInt
	}
	lt := e.lt
	sw := src.lay.words
	lay := lt.layoutFor(levels)
	w := lay.words
	n := src.classes()
	// Start small and grow: a roll-up to a general node has far fewer
	// classes than its source, and a table that stays in cache is fast.
	guess := min(n, 1<<10)
	out := &freqSet{levels: append([]int(nil), levels...), lay: lay, keys: make([]uint64, 0, guess*w), counts: make([]int32, 0, guess)}
	h.reset(guess)
	if remap == nil && e.stride > 0 {
		remap = make([]int32, n)
	}
	changes := e.keyChanges(src, levels, lay)
	if w == 1 && min(n, lt.classesAt(levels)) >= partitionMin {
		keys := h.scratchKeys(n)
		if !fillEstimated(changes, src, keys, h, estimate, limit, 1) {
			atomic.AddInt64(&e.work, int64(n))
			return nil
		}
		if !h.groupPartitioned(out, keys, src.counts, remap, limit) {
			atomic.AddInt64(&e.work, int64(n))
			return nil
		}
	} else if w == 1 {
		for c := 0; c < n; c++ {
			j := h.insert1(out, changes.key1(src.keys[c*sw:c*sw+sw]))
			if len(out.counts) > limit {
				atomic.AddInt64(&e.work, int64(c+1))
				return nil
			}
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
			sk := src.keys[c*sw : c*sw+sw]
			clear(key)
			for _, ch := range changes.changes {
				v := (sk[ch.from.word] >> (ch.from.shift & 63)) & ch.from.mask
				if ch.to != nil {
					key[ch.word] |= uint64(ch.to[v]) << (ch.shift & 63)
				} else {
					key[ch.word] |= v << (ch.shift & 63)
				}
			}
			j, _ := h.insert(out, key, w)
			if len(out.counts) > limit {
				atomic.AddInt64(&e.work, int64(c+1))
				return nil
			}
			if 2*len(out.counts) > len(h.slots) {
				rehash(h, out, w)
			}
			out.counts[j] += src.counts[c]
			if remap != nil {
				remap[c] = j
			}
		}
	}
	atomic.AddInt64(&e.work, int64(n))
	e.addSensitive(out, src, remap, need, 1)
	return out
}

// addSensitive gives out, rolled up from src (remap: src class → out
// class), its sensitive values: with need > 0 (distinctNeed) the distinct
// values of each class up to need, from src's histograms or src's own
// distinct values; otherwise histograms (addHist).
func (e *encoded) addSensitive(out, src *freqSet, remap []int32, need, workers int) {
	switch {
	case e.stride == 0 || need == needNone:
	case need > 0 && src.distinct != nil:
		out.distinct = src.distinct.rollUp(remap, out.classes())
	case need > 0 && src.hist != nil:
		out.distinct = src.hist.distinctUpTo(remap, out.classes(), e.sens, need)
	default:
		e.addHist(out, src, remap, workers)
	}
}

// needNone asks rollUpMode for the classes alone.
const needNone = -1

// addHist sums the sensitive value counts of src's classes into out's
// (remap: src class → out class), when models need them.
func (e *encoded) addHist(out, src *freqSet, remap []int32, workers int) {
	if e.stride == 0 {
		return
	}
	out.hist = src.hist.rollUp(remap, out.classes(), e.stride, workers)
}

// keyChange moves one quasi-identifier's code from a source packing into a
// result packing, generalizing it when its level rises.
type keyChange struct {
	from  keyPos
	word  int
	shift uint
	to    []int32 // level code → new code; nil: unchanged
}

// rekey turns src's keys into keys of another node.
type rekey struct {
	keep    uint64 // bits copied as they are (one-word source and result)
	changes []keyChange
}

// keyChanges lists how src's keys become keys of levels packed by lay.
// Quasi-identifiers with one value at their level are left out (their code
// is 0); with one-word keys on both sides, those that keep their level and
// their place are copied by a mask.
func (e *encoded) keyChanges(src *freqSet, levels []int, lay *layout) *rekey {
	r := &rekey{changes: make([]keyChange, 0, len(e.lt.dims))}
	oneWord := src.lay.words == 1 && lay.words == 1
	for i, d := range e.lt.dims {
		to, from := lay.pos[i], src.lay.pos[i]
		if to.mask == 0 {
			continue
		}
		if oneWord && levels[i] == src.levels[i] && to.shift == from.shift {
			r.keep |= from.mask << from.shift
			continue
		}
		r.changes = append(r.changes, keyChange{from: from, word: to.word, shift: to.shift,
			to: d.upMap(src.levels[i], levels[i])})
	}
	return r
}

// upMap maps level codes of d from level a up to level b (nil when a = b).
func (d *dim) upMap(a, b int) []int32 {
	if a == b {
		return nil
	}
	return d.upTo[a][b]
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
	p := f.lay.pos[i]
	return int32((f.keys[c*f.lay.words+p.word] >> (p.shift & 63)) & p.mask)
}
