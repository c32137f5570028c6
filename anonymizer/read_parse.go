package anonymizer

import (
	"bytes"
	"errors"
	"hash/maphash"
	"sync/atomic"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/transform"
)

// parsedBlock is one block of delimited text parsed and dictionary-encoded
// on its own: no string is made; each column's values are numbered in the
// order they first occur in the block (colBlock), each distinct value kept
// once as a byte range of buf (the block's text, then the unescaped
// content of quoted fields appended after it) with its hash. The ordered
// merge (pipeline.encode) then maps these block numbers to the column's
// codes: a lookup per distinct value of the block, not per field.
type parsedBlock struct {
	seq  int
	last bool
	buf  []byte
	// raw is the buffer the splitter filled, returned to the pool once the
	// block is encoded (buf is the decoded copy for GB18030 input).
	raw []byte
	// utf8 is the buffer GB18030 text is decoded into, kept for reuse.
	utf8 []byte
	// start is where parsing begins in buf (after the header in block 0).
	start int
	// decoded: buf is already UTF-8 (block 0 of GB18030 input).
	decoded bool
	rows    int
	cols    []colBlock // per column (empty for skipped columns)
	// merging counts the columns yet to merge the block.
	merging atomic.Int32
	lines   []int32 // per row: line feeds before it in the block
	nl      int     // line feeds in the block
	n       int     // bytes of text in buf (quoted contents follow)
	// bad is the first undecodable field; badOK says there is one (rows
	// stop before its row).
	bad   fieldError
	badOK bool
	// stop says why parsing stopped before the end of the block: the
	// record at byte stopAt (stopLine line feeds in) is not well-formed
	// CSV (stopRagged < 0) or has stopRagged fields.
	stop       bool
	stopAt     int
	stopLine   int
	stopRagged int
}

// colBlock is one column of a parsed block.
type colBlock struct {
	// direct: every row is a value of its own (codes unused), for a column
	// whose values barely repeat; the merge then looks each up, or in a
	// carried column appends each (hash then unused and empty).
	direct bool
	codes  []int32  // per row: the number of its value in the block
	hash   []uint64 // per distinct value of the block, in order of first occurrence
	off    []uint32 // per distinct value: start, end in buf
}

// blockParser parses blocks; one per worker goroutine.
type blockParser struct {
	delim byte
	cols  int
	keep  []bool // per column: values are encoded (not skipped)
	// carry, per column: ReadOptions.Carry names it; its direct blocks
	// need no hashes (the merge appends their values).
	carry []bool
	gb    bool
	dec   *encoding.Decoder
	seed  maphash.Seed
	local []blockTable // per kept column: the block's distinct values
	// direct, per column: its values barely repeat within a block (more
	// than half distinct in the last block numbered), so the parser
	// passes each row's value on (colBlock.direct) rather than look it
	// up in a block table that would only grow; every directRecheck-th
	// block is numbered again to notice a change.
	direct []bool
	blocks int
	fields []int // scratch: field bounds of one record, 2 per field
	rec    []byte
	bounds []int
	line   []byte
	// bytesPerRow of the last block sizes the next one's slices.
	bytesPerRow int
}

// directRecheck: see blockParser.direct.
const directRecheck = 8

// blockTable finds a value among the distinct values of one column of a
// block: open addressing, hash's high 32 bits << 32 | number+1 per slot.
// It stays small (the distinct values of one block), so its lookups hit
// the cache; it is cleared for every block.
type blockTable struct {
	slots []uint64
	mask  uint64
}

func (t *blockTable) clear() {
	if t.slots == nil {
		t.slots = make([]uint64, 256)
		t.mask = 255
		return
	}
	clear(t.slots)
}

// grow doubles the table and re-enters the values of cb.
func (t *blockTable) grow(cb *colBlock) {
	t.slots = make([]uint64, 2*len(t.slots))
	t.mask = uint64(len(t.slots) - 1)
	for c, h := range cb.hash {
		i := h & t.mask
		for t.slots[i] != 0 {
			i = (i + 1) & t.mask
		}
		t.slots[i] = h>>32<<32 | uint64(c+1)
	}
}

// parse splits b.buf into fields and numbers each column's values.
func (p *blockParser) parse(b *parsedBlock) {
	if p.gb && !b.decoded {
		d, err := decodeGBInto(p.dec, b.utf8[:0], b.buf)
		if err != nil { // the decoder replaces bad bytes; keep the raw text
			d = append(d[:0], b.buf...)
		}
		b.buf, b.utf8 = d, d
	}
	data := b.buf
	n := len(data)
	b.n = n
	b.rows, b.nl, b.stop, b.badOK = 0, 0, false, false
	rows := 16
	if p.bytesPerRow > 0 { // size the slices from the last block
		rows = n/p.bytesPerRow + n/p.bytesPerRow/8 + 16
	}
	if len(b.cols) != p.cols {
		b.cols = make([]colBlock, p.cols)
	}
	if p.local == nil {
		p.local = make([]blockTable, p.cols)
		p.direct = make([]bool, p.cols)
	}
	p.blocks++
	for ci := range b.cols {
		if !p.keep[ci] {
			continue
		}
		cb := &b.cols[ci]
		cb.codes, cb.hash, cb.off = cb.codes[:0], cb.hash[:0], cb.off[:0]
		cb.direct = p.direct[ci] && p.blocks%directRecheck != 0
		if cb.direct {
			if cap(cb.hash) < rows {
				cb.hash = make([]uint64, 0, rows)
				cb.off = make([]uint32, 0, 2*rows)
			}
			continue
		}
		if cap(cb.codes) < rows {
			cb.codes = make([]int32, 0, rows)
		}
		p.local[ci].clear()
	}
	b.lines = b.lines[:0]
	if cap(b.lines) < rows {
		b.lines = make([]int32, 0, rows)
	}
	line := bytes.Count(data[:b.start], []byte{'\n'})
	pos := b.start
records:
	for pos < n {
		c := data[pos]
		if c == '\n' {
			pos++
			line++
			continue
		}
		if c == '\r' && (pos+1 == n || data[pos+1] == '\n') {
			pos++
			continue
		}
		recStart, recLine := pos, line
		fields, next, nls, ok := p.record(b, pos)
		if !ok {
			b.stop, b.stopAt, b.stopLine, b.stopRagged = true, recStart, recLine, -1
			break
		}
		line += nls
		p.fields = fields
		if len(fields) != 2*p.cols {
			b.stop, b.stopAt, b.stopLine, b.stopRagged = true, recStart, recLine, len(fields)/2
			break
		}
		buf := b.buf // quoted fields may have grown it
	fieldLoop:
		for ci := 0; ci < p.cols; ci++ {
			s, e := fields[2*ci], fields[2*ci+1]
			v := buf[s:e]
			if !p.keep[ci] {
				if !p.valid(v) {
					b.bad, b.badOK = fieldError{row: b.rows, col: ci}, true
					b.lines = append(b.lines, int32(recLine))
					break records
				}
				continue
			}
			cb := &b.cols[ci]
			if cb.direct {
				if !p.valid(v) {
					b.bad, b.badOK = fieldError{row: b.rows, col: ci}, true
					b.lines = append(b.lines, int32(recLine))
					break records
				}
				if p.carry == nil || !p.carry[ci] {
					cb.hash = append(cb.hash, maphash.Bytes(p.seed, v))
				}
				cb.off = append(cb.off, uint32(s), uint32(e))
				continue
			}
			h := maphash.Bytes(p.seed, v)
			lt := &p.local[ci]
			tag := h >> 32
			i := h & lt.mask
			for {
				sl := lt.slots[i]
				if sl == 0 {
					break
				}
				if sl>>32 == tag {
					k := uint32(sl) - 1
					if bytes.Equal(buf[cb.off[2*k]:cb.off[2*k+1]], v) {
						cb.codes = append(cb.codes, int32(k))
						continue fieldLoop
					}
				}
				i = (i + 1) & lt.mask
			}
			if !p.valid(v) {
				b.bad, b.badOK = fieldError{row: b.rows, col: ci}, true
				b.lines = append(b.lines, int32(recLine))
				break records
			}
			cb.codes = append(cb.codes, int32(len(cb.hash)))
			cb.hash = append(cb.hash, h)
			cb.off = append(cb.off, uint32(s), uint32(e))
			lt.slots[i] = tag<<32 | uint64(len(cb.hash))
			if 2*len(cb.hash) > len(lt.slots) {
				lt.grow(cb)
			}
		}
		b.lines = append(b.lines, int32(recLine))
		b.rows++
		pos = next
	}
	b.nl = bytes.Count(data, []byte{'\n'})
	if b.rows > 0 {
		p.bytesPerRow = max(1, n/b.rows)
	}
	if b.rows >= 1000 && !b.stop && !b.badOK {
		for ci := range b.cols {
			if cb := &b.cols[ci]; p.keep[ci] && !cb.direct {
				p.direct[ci] = 2*len(cb.hash) > b.rows
			}
		}
	}
}

// decodeGBInto decodes GB18030 src into dst (reused, grown as needed).
func decodeGBInto(dec *encoding.Decoder, dst, src []byte) ([]byte, error) {
	dec.Reset()
	if cap(dst) < len(src)+len(src)/2+16 {
		dst = make([]byte, 0, len(src)+len(src)/2+16)
	}
	dst = dst[:cap(dst)]
	n := 0
	for {
		nDst, nSrc, err := dec.Transform(dst[n:], src, true)
		n += nDst
		src = src[nSrc:]
		if errors.Is(err, transform.ErrShortDst) {
			dst = append(dst[:n], make([]byte, len(dst))...)
			dst = dst[:cap(dst)]
			continue
		}
		return dst[:n], err
	}
}

// record splits the record that starts at pos (not an empty line) into
// field bounds in b.buf. It returns them, where the next record starts, the
// line feeds consumed, and false when the record is not well-formed.
func (p *blockParser) record(b *parsedBlock, pos int) (fields []int, next, nls int, ok bool) {
	data := b.buf
	n := b.n
	e := bytes.IndexByte(data[pos:n], '\n')
	end := n
	if e >= 0 {
		end = pos + e
	}
	fields = p.fields[:0]
	if bytes.IndexByte(data[pos:end], '"') >= 0 {
		return p.quotedRecord(b, pos, fields)
	}
	content := end
	if content > pos && data[content-1] == '\r' {
		content--
	}
	for f := pos; ; {
		i := bytes.IndexByte(data[f:content], p.delim)
		if i < 0 {
			fields = append(fields, f, content)
			break
		}
		fields = append(fields, f, f+i)
		f += i + 1
	}
	if e >= 0 {
		nls = 1
	}
	return fields, end + 1, nls, true
}

// valid reports whether a field's bytes are text: UTF-8, and after
// GB18030 decoding free of the replacement character.
func (p *blockParser) valid(v []byte) bool {
	if !utf8.Valid(v) {
		return false
	}
	return !p.gb || !bytes.Contains(v, replacementChar)
}

var replacementChar = []byte(string(utf8.RuneError))

// quotedRecord parses the record at pos of a line that holds a quote,
// exactly as encoding/csv does (LazyQuotes off): quoted fields may hold
// delimiters, doubled quotes and line ends (CRLF read as LF). Field
// contents are appended to b.buf. It returns the field bounds, where the
// next record starts, the line feeds consumed, and false when the record
// is not well-formed (encoding/csv then names the error).
func (p *blockParser) quotedRecord(b *parsedBlock, pos int, fields []int) ([]int, int, int, bool) {
	data := b.buf[:b.n]
	n := b.n
	q := pos
	nls := 0
	readLine := func() ([]byte, bool) {
		if q >= n {
			return nil, false
		}
		e := bytes.IndexByte(data[q:], '\n')
		var l []byte
		if e >= 0 {
			l = append(p.line[:0], data[q:q+e+1]...)
			q += e + 1
			nls++
		} else {
			l = append(p.line[:0], data[q:]...)
			q = n
			if l[len(l)-1] == '\r' {
				l = l[:len(l)-1]
			}
		}
		if k := len(l); k >= 2 && l[k-2] == '\r' && l[k-1] == '\n' {
			l[k-2] = '\n'
			l = l[:k-1]
		}
		p.line = l
		return l, true
	}
	lengthNL := func(l []byte) int {
		if len(l) > 0 && l[len(l)-1] == '\n' {
			return 1
		}
		return 0
	}
	rec := p.rec[:0]
	bounds := p.bounds[:0]
	line, _ := readLine()
fieldLoop:
	for {
		if len(line) == 0 || line[0] != '"' {
			i := bytes.IndexByte(line, p.delim)
			field := line
			if i >= 0 {
				field = field[:i]
			} else {
				field = field[:len(field)-lengthNL(field)]
			}
			if bytes.IndexByte(field, '"') >= 0 {
				return fields, q, nls, false
			}
			bounds = append(bounds, len(rec))
			rec = append(rec, field...)
			bounds = append(bounds, len(rec))
			if i >= 0 {
				line = line[i+1:]
				continue fieldLoop
			}
			break fieldLoop
		}
		bounds = append(bounds, len(rec))
		line = line[1:]
		for {
			i := bytes.IndexByte(line, '"')
			switch {
			case i >= 0:
				rec = append(rec, line[:i]...)
				line = line[i+1:]
				switch {
				case len(line) > 0 && line[0] == '"':
					rec = append(rec, '"')
					line = line[1:]
				case len(line) > 0 && line[0] == p.delim:
					line = line[1:]
					bounds = append(bounds, len(rec))
					continue fieldLoop
				case lengthNL(line) == len(line):
					bounds = append(bounds, len(rec))
					break fieldLoop
				default:
					return fields, q, nls, false
				}
			case len(line) > 0:
				rec = append(rec, line...)
				var more bool
				if line, more = readLine(); !more {
					line = nil
				}
			default: // end of input inside a quoted field
				return fields, q, nls, false
			}
		}
	}
	p.rec, p.bounds = rec, bounds
	base := len(b.buf)
	b.buf = append(b.buf, rec...)
	for _, x := range bounds {
		fields = append(fields, base+x)
	}
	return fields, q, nls, true
}
