package anonymizer

import (
	"bytes"
	"hash/maphash"
	"unsafe"
)

// internTable dictionary-encodes one column: an open-addressing table from
// a field's hash (computed by the parse workers) to its code, the values
// kept in large byte arenas rather than one string allocation each.
//
// The column's Dict is made as values arrive: each new value is copied
// into the arena and its string points there (the arena's bytes are never
// written again, so the strings are immutable). The Dict is the only
// record of where a value is: no array of references beside it, which on
// this machine, where a page of fresh memory costs microseconds, was 8
// bytes a distinct value to fault in and a pass at the end to turn into
// strings. The strings point into a few large pointer-free chunks, so the
// garbage collector's marking stays cheap. The slots are dropped once the
// column is read; Column.Code rebuilds a map on first use.
type internTable struct {
	col   *Column
	slots []uint64 // 0: empty; else hash's high 32 bits << 32 | code+1
	mask  uint64
	seed  maphash.Seed
	dict  []string // the column's Dict, growing
	arena []byte   // the last chunk of the arena
	remap []int32  // scratch: block number → code
	// touched sums the slots loaded ahead, so that the loads are kept.
	touched uint64
}

const (
	// arenaChunk is the size of the byte arenas values are copied into;
	// a value longer than an eighth of it gets its own allocation.
	arenaChunk = 8 << 20
)

func newInternTable(c *Column, seed maphash.Seed, hint int) *internTable {
	t := &internTable{col: c, seed: seed}
	if hint > 0 {
		t.dict = hugePages(make([]string, 0, hint))
	}
	t.resize(max(hint, 512))
	return t
}

// value returns the bytes of code c (not to be written).
func (t *internTable) value(c int32) []byte {
	s := t.dict[c]
	return unsafe.Slice(unsafe.StringData(s), len(s))
}

// resize makes room for n values at a load of at most three quarters.
// Fresh memory is dear (on the development machine a page fault costs
// several microseconds: 256 MB of new pages, about 1.5 s of CPU), so the
// table is kept small rather than sparse.
func (t *internTable) resize(n int) {
	size := 1024
	for 3*size < 4*n {
		size <<= 1
	}
	t.slots = hugePages(make([]uint64, size))
	t.mask = uint64(size - 1)
	for code, v := range t.dict {
		h := maphash.String(t.seed, v)
		i := h & t.mask
		for t.slots[i] != 0 {
			i = (i + 1) & t.mask
		}
		t.slots[i] = h>>32<<32 | uint64(code+1)
	}
}

// code returns the code of v (hash h), adding v when new.
func (t *internTable) code(v []byte, h uint64) int32 {
	tag := h >> 32
	i := h & t.mask
	for {
		s := t.slots[i]
		if s == 0 {
			break
		}
		if s>>32 == tag {
			if c := int32(uint32(s)) - 1; bytes.Equal(t.value(c), v) {
				return c
			}
		}
		i = (i + 1) & t.mask
	}
	c := int32(len(t.dict))
	t.dict = append(growHuge(t.dict, 1), t.keep(v))
	t.slots[i] = tag<<32 | uint64(c+1)
	if 4*len(t.dict) > 3*len(t.slots) {
		t.resize(2 * len(t.dict))
	}
	return c
}

// keep copies v into the arena and returns it as a string there.
func (t *internTable) keep(v []byte) string {
	if len(v) == 0 {
		return ""
	}
	if len(v) > arenaChunk/8 {
		return string(v)
	}
	if len(t.arena)+len(v) > cap(t.arena) {
		// Chunks grow from 4 KiB so that small tables stay small, and
		// always hold the value (up to arenaChunk/8) they are made for.
		t.arena = hugePages(make([]byte, 0, max(len(v), min(max(4<<10, 2*cap(t.arena)), arenaChunk))))
	}
	at := len(t.arena)
	t.arena = append(t.arena, v...)
	return unsafe.String(&t.arena[at], len(v))
}

// finish sets the column's Dict and drops the table.
func (t *internTable) finish() {
	t.col.Dict = t.dict
	t.dict, t.slots, t.arena, t.remap = nil, nil, nil, nil
}

// mergeBlock appends the codes of column cb of a block (text buf, rows
// rows) to the column: each distinct value of the block is looked up (and
// added when new, in the block's order of first occurrence, so that codes
// are numbered by first occurrence in the input as a whole), then the
// rows' block numbers are mapped to codes. The parse workers validated
// the values.
func (t *internTable) mergeBlock(cb *colBlock, buf []byte, rows int) {
	hash, off := cb.hash, cb.off
	codes := t.col.Codes
	if cb.direct && t.col.carried { // a value a row, kept as it comes
		t.appendRows(off[:2*rows], buf, &codes)
		t.col.Codes = codes
		return
	}
	if cb.direct { // a value a row: the codes are the rows' codes
		t.lookup(hash[:rows], off, buf, &codes)
		t.col.Codes = codes
		return
	}
	remap := t.remap[:0]
	t.lookup(hash, off, buf, &remap)
	n := len(codes)
	codes = growHuge(codes, rows)[:n+rows]
	for r, k := range cb.codes[:rows] {
		codes[n+r] = remap[k]
	}
	t.col.Codes, t.remap = codes, remap
}

// lookup appends to out the codes of the values of hash (bounds off in
// buf), in batches whose slots are loaded ahead.
func (t *internTable) lookup(hash []uint64, off []uint32, buf []byte, out *[]int32) {
	o := growHuge(*out, len(hash))
	for j0 := 0; j0 < len(hash); j0 += mergeBatch {
		j1 := min(j0+mergeBatch, len(hash))
		t.prefetch(hash[j0:j1], off[2*j0:2*j1], buf)
		for j := j0; j < j1; j++ {
			o = append(o, t.code(buf[off[2*j]:off[2*j+1]], hash[j]))
		}
	}
	*out = o
}

// appendRows appends to the column a value of its own for each row (bounds
// off in buf), its code appended to out, without looking it up: a carried
// column (ReadOptions.Carry) whose values barely repeat. The values are
// not entered in the slots; a value that comes again later gets a code of
// its own, which a carried column allows.
func (t *internTable) appendRows(off []uint32, buf []byte, out *[]int32) {
	rows := len(off) / 2
	o := growHuge(*out, rows)
	t.dict = growHuge(t.dict, rows)
	for j := range rows {
		o = append(o, int32(len(t.dict)))
		t.dict = append(t.dict, t.keep(buf[off[2*j]:off[2*j+1]]))
	}
	*out = o
}

// mergeBatch is how many values mergeBlock prefetches at a time.
const mergeBatch = 32

// prefetch loads what looking up the values of hash will read: the first
// slot of each, then the reference of the code in it when its tag
// matches, then the first bytes of that value. In a column of a million
// distinct values nearly every lookup misses the cache; one at a time,
// each waited for memory (about 270 ns on the development machine),
// while a tight loop of independent loads keeps dozens in flight (about
// 7 ns each).
func (t *internTable) prefetch(hash []uint64, off []uint32, buf []byte) {
	var touch uint64
	slots, mask := t.slots, t.mask
	for _, h := range hash {
		touch += slots[h&mask]
	}
	for _, h := range hash {
		if s := slots[h&mask]; s != 0 && s>>32 == h>>32 {
			touch += uint64(len(t.dict[uint32(s)-1]))
		}
	}
	for _, h := range hash {
		if s := slots[h&mask]; s != 0 && s>>32 == h>>32 {
			if v := t.value(int32(uint32(s)) - 1); len(v) > 0 {
				touch += uint64(v[0])
			}
		}
	}
	t.touched += touch
}
