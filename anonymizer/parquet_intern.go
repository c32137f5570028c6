package anonymizer

import (
	"fmt"
	"math/bits"
	"unicode/utf8"
	"unsafe"
)

// columnIntern assigns a column's codes while a Parquet file is read: an
// open-addressing hash table over the column's Dict, fed the entries of
// decoded chunks (chunkPart) with their hashes already computed. A new
// text is copied once into an arena of large blocks and the Dict holds a
// string over those bytes: no allocation, no Go map entry per value.
// Codes are given in the order of first occurrence, row by row, as the
// CSV reader gives them, so that a file read from CSV or Parquet is the
// same table. Not safe for concurrent use; each column has its own.
type columnIntern struct {
	col *Column
	// slots: 0 empty, else the hash's high 32 bits above code+1; the
	// position of a text is its hash's high bits (hash >> shift), probing
	// linearly (mask), so that a slot alone says where it goes in a larger
	// table; at most three quarters are full.
	slots []uint64
	mask  uint64
	shift uint
	arena []byte
	// total is the file's row count (its footer's).
	total int64
	// touched sums the slots loaded ahead, so that the loads are kept.
	touched uint64
	// remap is scratch: a part's entry → code (-1: not seen yet).
	remap []int32
	// keep: the last plain chunk was mostly new texts (a column of
	// identifiers), so the next one's buffer becomes the Dict's bytes as
	// it is, not copied text by text into the arena.
	keep bool
}

// internArenaBlock is the size of one block of the text arena.
const internArenaBlock = 1 << 20

// newColumnIntern interns into col the texts of a file of total rows.
func newColumnIntern(col *Column, total int64) *columnIntern {
	t := &columnIntern{col: col, total: total}
	t.resize(1 << 10)
	return t
}

// resize makes the table n slots (a power of two, at most 1<<32) and
// re-places the old one's slots, without reading the Dict.
func (t *columnIntern) resize(n int) {
	old := t.slots
	t.slots = allocSlots(n)
	t.mask, t.shift = uint64(n-1), uint(64-bits.TrailingZeros(uint(n)))
	for _, s := range old {
		if s != 0 {
			t.place(s)
		}
	}
}

// place puts slot s into an empty slot.
func (t *columnIntern) place(s uint64) {
	for i := s >> t.shift; ; i = (i + 1) & t.mask {
		if t.slots[i] == 0 {
			t.slots[i] = s
			return
		}
	}
}

// code returns the code of text b of hash h, adding it to the Dict when
// new: a string over b itself when own (b stays as it is for as long as
// the column), else over a copy in the arena. It returns false for a new
// b that is not UTF-8, unless checked (b is known to be).
func (t *columnIntern) code(b []byte, h uint64, own, checked bool) (int32, bool) {
	tag := h >> 32
	dict := t.col.Dict
	i := h >> t.shift
	for ; ; i = (i + 1) & t.mask {
		s := t.slots[i]
		if s == 0 {
			break
		}
		if s>>32 == tag {
			if code := int32(uint32(s)) - 1; dict[code] == string(b) {
				return code, true
			}
		}
	}
	if !checked && !utf8.Valid(b) {
		return 0, false
	}
	code := int32(len(dict))
	var s string
	if own && len(b) > 0 {
		s = unsafe.String(&b[0], len(b))
	} else {
		s = t.intern(b)
	}
	t.col.Dict = append(dict, s)
	t.slots[i] = tag<<32 | uint64(uint32(code+1))
	if 4*len(t.col.Dict) > 3*len(t.slots) {
		t.resize(2 * len(t.slots))
	}
	return code, true
}

// intern returns b as a string over a copy in the arena.
func (t *columnIntern) intern(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if len(b) > internArenaBlock/16 {
		return string(b)
	}
	if len(t.arena)+len(b) > cap(t.arena) {
		t.arena = make([]byte, 0, internArenaBlock)
	}
	start := len(t.arena)
	t.arena = append(t.arena, b...) // within capacity: the block never moves
	return unsafe.String(&t.arena[start], len(b))
}

// merge appends the rows of part to the column. row is the column's row
// count before part, for errors.
func (t *columnIntern) merge(part *chunkPart) error {
	col := t.col
	row, dictBefore := len(col.Codes), len(col.Dict)
	if need := row + part.rows; cap(col.Codes) < need {
		// Room for the footer's count, or at most 16 times the rows
		// decoded, should the footer lie: a copy or two in all.
		codes := make([]int32, row, max(need, min(16*need, int(t.total))))
		adviseHuge(unsafe.Pointer(unsafe.SliceData(codes)), 4*cap(codes))
		copy(codes, col.Codes)
		col.Codes = codes
	}
	out := col.Codes[row : row+part.rows]
	if part.codes == nil {
		n := int32(part.entries())
		probe := min(n, internProbe)
		// own: the part's buffer becomes the column's (the Dict's new
		// texts are strings over it), when most of its texts are new.
		own := t.keep
		var touched uint64
		for i := range n {
			if i == probe {
				fresh := len(col.Dict) - dictBefore
				if cap(col.Dict)-len(col.Dict) < int(n-probe) && 2*fresh > int(probe) {
					// Mostly new texts so far (a column of identifiers):
					// make room for a text per remaining row of the file at
					// once, not by repeated growth (finish gives back what
					// is left); at most 16 times the rows seen, should the
					// footer lie.
					left := min(int64(t.total)-int64(row)-int64(probe), 16*int64(row+int(n)))
					t.reserve(len(col.Dict) + max(int(n-probe), int(left)))
				}
				own = 8*fresh >= 7*int(probe)
			}
			if i%internAhead == 0 {
				// Load the slots of the next texts before probing them one
				// by one: independent loads overlap their cache misses.
				for _, h := range part.hash[i:min(i+internAhead, n)] {
					touched += t.slots[h>>t.shift]
				}
			}
			code, ok := t.code(part.entry(i), part.hash[i], own, part.utf8)
			if !ok {
				return fmt.Errorf("row %d: bytes that are not UTF-8 text", row+int(i)+1)
			}
			out[i] = code
		}
		t.touched += touched
		col.Codes = col.Codes[:row+part.rows]
		fresh := len(col.Dict) - dictBefore
		if t.keep && 8*fresh < 7*int(n) {
			// The texts before the probe were taken as strings over the
			// buffer (the previous part was mostly new), but this part is
			// mostly repeats: copy its few new texts into the arena and let
			// the buffer go, rather than keep a whole buffer for them.
			for j := dictBefore; j < len(col.Dict); j++ {
				col.Dict[j] = t.intern(unsafe.Slice(unsafe.StringData(col.Dict[j]), len(col.Dict[j])))
			}
			own = false
		}
		part.kept = part.kept || own && fresh > 0
		t.keep = 8*fresh >= 7*int(n)
		return nil
	}
	if n := part.entries(); cap(t.remap) < n {
		t.remap = make([]int32, n)
	} else {
		t.remap = t.remap[:n]
	}
	remap := t.remap
	for i := range remap {
		remap[i] = -1
	}
	for r, e := range part.codes {
		code := remap[e]
		if code < 0 {
			var ok bool
			if code, ok = t.code(part.entry(e), part.hash[e], false, false); !ok {
				return fmt.Errorf("row %d: bytes that are not UTF-8 text", row+r+1)
			}
			remap[e] = code
		}
		out[r] = code
	}
	col.Codes = col.Codes[:row+part.rows]
	return nil
}

// internProbe is how many texts of a plain chunk are interned before
// deciding whether to make room for all of its rows as new texts.
const internProbe = 4096

// internAhead is how many slots merge loads ahead of probing.
const internAhead = 16

// reserve makes room for n texts in the Dict and the table.
func (t *columnIntern) reserve(n int) {
	if cap(t.col.Dict) < n {
		d := make([]string, len(t.col.Dict), n)
		adviseHuge(unsafe.Pointer(unsafe.SliceData(d)), int(unsafe.Sizeof(""))*n)
		copy(d, t.col.Dict)
		t.col.Dict = d
	}
	if size := len(t.slots); 3*size < 4*n {
		for 3*size < 4*n {
			size *= 2
		}
		t.resize(size)
	}
}

// finish gives the Dict back the room reserve made for texts that did not
// come, when that is much.
func (t *columnIntern) finish() {
	if d := t.col.Dict; cap(d)-len(d) > len(d)/4+1024 {
		t.col.Dict = append([]string(nil), d...)
	}
	t.slots, t.remap = nil, nil
}
