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
// Nothing in it holds a pointer while the column is read: a value is an
// offset and a length into the arena (refs), not a string, so that the
// garbage collector has nothing to scan in the millions of values of an
// identifier column (with strings it took a third of the reading time).
// The column's Dict of strings is made once, at the end (finish). The
// table is dropped once the column is read; Column.Code rebuilds a map on
// first use.
type internTable struct {
	col   *Column
	slots []uint64 // 0: empty; else hash's high 32 bits << 32 | code+1
	mask  uint64
	seed  maphash.Seed
	// refs holds per code where its value is: chunk << 44 | offset in
	// the chunk << 24 | length; a length of longValue marks a value kept
	// in long[ref>>24].
	refs   []uint64
	chunks [][]byte // the arena: chunks of arenaChunk bytes
	arena  []byte   // the last chunk
	long   [][]byte
	remap  []int32 // scratch: block number → code
	// touched sums the slots loaded ahead, so that the loads are kept.
	touched uint64
}

const (
	// arenaChunk is the size of the byte arenas values are copied into;
	// a value longer than an eighth of it gets its own allocation.
	arenaChunk = 1 << 20
	longValue  = 1<<24 - 1
)

func newInternTable(c *Column, seed maphash.Seed, hint int) *internTable {
	t := &internTable{col: c, seed: seed}
	if hint > 0 {
		t.refs = make([]uint64, 0, hint)
	}
	t.resize(max(hint, 512))
	return t
}

// value returns the bytes of code c.
func (t *internTable) value(c int32) []byte {
	r := t.refs[c]
	n := r & longValue
	if n == 0 {
		return nil
	}
	if n == longValue {
		return t.long[r>>24]
	}
	chunk := t.chunks[r>>44]
	at := r >> 24 & (arenaChunk - 1)
	return chunk[at : at+n : at+n]
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
	t.slots = make([]uint64, size)
	t.mask = uint64(size - 1)
	for code := range t.refs {
		h := maphash.Bytes(t.seed, t.value(int32(code)))
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
	c := int32(len(t.refs))
	t.refs = append(t.refs, t.keep(v))
	t.slots[i] = tag<<32 | uint64(c+1)
	if 4*len(t.refs) > 3*len(t.slots) {
		t.resize(2 * len(t.refs))
	}
	return c
}

// keep copies v into the arena and returns its reference.
func (t *internTable) keep(v []byte) uint64 {
	if len(v) == 0 {
		return 0
	}
	if len(v) > arenaChunk/8 {
		t.long = append(t.long, bytes.Clone(v))
		return uint64(len(t.long)-1)<<24 | longValue
	}
	if len(t.arena)+len(v) > cap(t.arena) || len(t.chunks) == 0 {
		// Chunks grow from 4 KiB so that small tables stay small, and
		// always hold the value (up to arenaChunk/8) they are made for.
		t.arena = make([]byte, 0, max(len(v), min(max(4<<10, 2*cap(t.arena)), arenaChunk)))
		t.chunks = append(t.chunks, t.arena)
	}
	at := uint64(len(t.arena))
	t.arena = append(t.arena, v...)
	return uint64(len(t.chunks)-1)<<44 | at<<24 | uint64(len(v))
}

// finish sets the column's Dict: strings into the arena, whose bytes are
// never written again, so the strings are immutable.
func (t *internTable) finish() {
	dict := make([]string, len(t.refs))
	for c := range dict {
		if v := t.value(int32(c)); len(v) > 0 {
			dict[c] = unsafe.String(&v[0], len(v))
		}
	}
	t.col.Dict = dict
	t.refs, t.slots = nil, nil
}

// mergeBlock appends the codes of column cb of a block (text buf, rows
// rows) to the column: each distinct value of the block is looked up (and
// added when new, in the block's order of first occurrence, so that codes
// are numbered by first occurrence in the input as a whole), then the
// rows' block numbers are mapped to codes. The parse workers validated
// the values.
func (t *internTable) mergeBlock(cb *colBlock, buf []byte, rows int) {
	remap := t.remap[:0]
	hash, off := cb.hash, cb.off
	if cb.direct {
		hash = hash[:rows]
	}
	for j0 := 0; j0 < len(hash); j0 += mergeBatch {
		j1 := min(j0+mergeBatch, len(hash))
		t.prefetch(hash[j0:j1], off[2*j0:2*j1], buf)
		for j := j0; j < j1; j++ {
			remap = append(remap, t.code(buf[off[2*j]:off[2*j+1]], hash[j]))
		}
	}
	codes := t.col.Codes
	if cb.direct {
		codes = append(codes, remap...)
	} else {
		for _, k := range cb.codes[:rows] {
			codes = append(codes, remap[k])
		}
	}
	t.col.Codes, t.remap = codes, remap
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
			touch += t.refs[uint32(s)-1]
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
