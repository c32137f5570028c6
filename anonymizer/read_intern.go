package anonymizer

import (
	"bytes"
	"hash/maphash"
	"unicode/utf8"
	"unsafe"
)

// internTable dictionary-encodes one column: an open-addressing table from
// a field's hash (computed by the parse workers) to its code, the values
// kept in large byte arenas rather than one string allocation each. The
// table is dropped once the column is read; Column.Code rebuilds a map on
// first use.
type internTable struct {
	col   *Column
	slots []uint64 // 0: empty; else hash's high 32 bits << 32 | code+1
	mask  uint64
	seed  maphash.Seed
	arena []byte
	gb    bool
}

// arenaChunk is the size of the byte arenas values are copied into.
const arenaChunk = 1 << 20

func newInternTable(c *Column, seed maphash.Seed, hint int, gb bool) *internTable {
	t := &internTable{col: c, seed: seed, gb: gb}
	t.resize(max(hint, 512))
	return t
}

// resize makes room for n values at a load of at most one half.
func (t *internTable) resize(n int) {
	size := 1024
	for size < 2*n {
		size <<= 1
	}
	t.slots = make([]uint64, size)
	t.mask = uint64(size - 1)
	for code, v := range t.col.Dict {
		h := maphash.String(t.seed, v)
		i := h & t.mask
		for t.slots[i] != 0 {
			i = (i + 1) & t.mask
		}
		t.slots[i] = h>>32<<32 | uint64(code+1)
	}
}

// code returns the code of v (hash h), adding v when new. It returns false
// when a new v is not text (undecodable bytes).
func (t *internTable) code(v []byte, h uint64) (int32, bool) {
	tag := h >> 32
	dict := t.col.Dict
	i := h & t.mask
	for {
		s := t.slots[i]
		if s == 0 {
			break
		}
		if s>>32 == tag {
			if c := int32(uint32(s)) - 1; dict[c] == string(v) {
				return c, true
			}
		}
		i = (i + 1) & t.mask
	}
	if !utf8.Valid(v) || t.gb && bytes.Contains(v, replacementChar) {
		return 0, false
	}
	c := int32(len(dict))
	t.col.Dict = append(dict, t.keep(v))
	t.slots[i] = tag<<32 | uint64(c+1)
	if 2*len(t.col.Dict) > len(t.slots) {
		t.resize(len(t.col.Dict))
	}
	return c, true
}

// keep copies v into the arena and returns it as a string. The arena's
// bytes are never written again, so the string is immutable.
func (t *internTable) keep(v []byte) string {
	if len(v) == 0 {
		return ""
	}
	if len(v) > arenaChunk/8 {
		return string(v)
	}
	if len(t.arena)+len(v) > cap(t.arena) {
		// Chunks grow from 4 KiB so that small tables stay small.
		t.arena = make([]byte, 0, min(max(4<<10, 2*cap(t.arena)), arenaChunk))
	}
	at := len(t.arena)
	t.arena = append(t.arena, v...)
	return unsafe.String(&t.arena[at], len(v))
}

// internBlock appends the codes of column ci of block b to the
// column. It returns the first row whose value is undecodable, if any.
func (t *internTable) internBlock(ci, cols int, b *parsedBlock) (int, bool) {
	codes := t.col.Codes
	for r := 0; r < b.rows; r++ {
		k := r*cols + ci
		v := b.buf[b.off[2*k]:b.off[2*k+1]]
		c, ok := t.code(v, b.hash[k])
		if !ok {
			t.col.Codes = codes
			return r, false
		}
		codes = append(codes, c)
	}
	t.col.Codes = codes
	return 0, true
}
