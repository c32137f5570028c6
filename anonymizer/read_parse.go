package anonymizer

import (
	"bytes"
	"hash/maphash"
	"unicode/utf8"

	"golang.org/x/text/encoding"
)

// parsedBlock is one block of delimited text split into fields: no string
// is made; a field is a byte range of buf (the block's text, then the
// unescaped content of quoted fields appended after it), with its hash.
type parsedBlock struct {
	seq  int
	last bool
	buf  []byte
	// raw is the buffer the splitter filled, returned to the pool once the
	// block is encoded (buf is the decoded copy for GB18030 input).
	raw []byte
	// start is where parsing begins in buf (after the header in block 0).
	start int
	// decoded: buf is already UTF-8 (block 0 of GB18030 input).
	decoded bool
	rows    int
	off     []uint32 // 2 per field: start, end in buf
	hash    []uint64 // 1 per field (kept columns only)
	lines   []int32  // per row: line feeds before it in the block
	nl      int      // line feeds in the block
	n       int      // bytes of text in buf (quoted contents follow)
	// bad is the first undecodable field of a skipped column; badOK says
	// there is one (rows stop after its row).
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

// blockParser parses blocks; one per worker goroutine.
type blockParser struct {
	delim  byte
	cols   int
	keep   []bool // per column: values are encoded (not skipped)
	gb     bool
	dec    *encoding.Decoder
	seed   maphash.Seed
	fields []int // scratch: field bounds of one record, 2 per field
	rec    []byte
	bounds []int
	line   []byte
	// bytesPerRow of the last block sizes the next one's field slices.
	bytesPerRow int
}

// parse splits b.buf into fields.
func (p *blockParser) parse(b *parsedBlock) {
	if p.gb && !b.decoded {
		d, err := p.dec.Bytes(b.buf)
		if err != nil { // the decoder replaces bad bytes; keep the raw text
			d = append([]byte(nil), b.buf...)
		}
		b.buf = d
	}
	data := b.buf
	n := len(data)
	b.n = n
	b.rows, b.nl, b.stop, b.badOK = 0, 0, false, false
	b.off, b.hash, b.lines = b.off[:0], b.hash[:0], b.lines[:0]
	if p.bytesPerRow > 0 { // size the field slices from the last block
		rows := n/p.bytesPerRow + n/p.bytesPerRow/8 + 16
		if cap(b.lines) < rows {
			b.off = make([]uint32, 0, 2*rows*p.cols)
			b.hash = make([]uint64, 0, rows*p.cols)
			b.lines = make([]int32, 0, rows)
		}
	}
	line := bytes.Count(data[:b.start], []byte{'\n'})
	pos := b.start
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
		for ci := 0; ci < p.cols; ci++ {
			s, t := fields[2*ci], fields[2*ci+1]
			v := b.buf[s:t]
			b.off = append(b.off, uint32(s), uint32(t))
			if p.keep[ci] {
				b.hash = append(b.hash, maphash.Bytes(p.seed, v))
				continue
			}
			b.hash = append(b.hash, 0)
			if !b.badOK && !p.valid(v) {
				b.bad, b.badOK = fieldError{row: b.rows, col: ci}, true
			}
		}
		b.lines = append(b.lines, int32(recLine))
		b.rows++
		if b.badOK {
			break
		}
		pos = next
	}
	b.nl = bytes.Count(data, []byte{'\n'})
	if b.rows > 0 {
		p.bytesPerRow = max(1, n/b.rows)
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
