package anonymizer

import (
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"math"
	"slices"
	"unicode/utf8"
	"unsafe"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/encoding"
)

// chunkPart is one column chunk decoded, not yet interned into its
// column: the texts it holds (entries) and, per row, which entry. A
// dictionary-encoded chunk holds its dictionary's texts once and the
// page's indexes as they are; a plain chunk holds one entry per row, its
// bytes copied from the page buffers in one piece per page. Building one
// touches no shared state, so the chunks of a row group, and the row
// groups themselves, are decoded in parallel; interning (columnIntern)
// then runs per column in row order.
type chunkPart struct {
	// buf holds the entries' bytes: entry i is buf[offs[i]:offs[i+1]],
	// its hash (maphash, the read's seed) hash[i].
	buf  []byte
	offs []uint32
	hash []uint64
	// codes is the entry of each row; nil: row i is entry i.
	codes []int32
	rows  int
	// spareCodes is a buffer for codes, kept from an earlier use.
	spareCodes []int32
	// dictBase is the first entry of the chunk's current dictionary, and
	// dictOf that dictionary; nullEntry is the entry of "" (-1: none yet).
	dictBase  int32
	dictOf    parquet.Dictionary
	nullEntry int32
	// utf8: every entry is known to be UTF-8 (checked page by page while
	// decoding); false: merge checks each new entry.
	utf8 bool
	// kept: the column keeps buf (its Dict's texts are over it), so the
	// next use of the part needs a new one.
	kept bool
}

// chunkDecoder decodes the pages of one column chunk into a chunkPart.
type chunkDecoder struct {
	part   *chunkPart
	text   func([]byte, parquet.Value) []byte
	seed   maphash.Seed
	maxDef int
	// raw: the column's text is its bytes (a string column), read from
	// pages without materializing values.
	raw  bool
	rows int // the chunk's, from the footer
	tmp  []byte
	vals []parquet.Value
}

// errChunkTooLarge is a column chunk whose text exceeds what a part
// addresses.
var errChunkTooLarge = errors.New("a column chunk of more than 4 GiB of text")

// decodeParquetChunk decodes the rows values of one column chunk into
// part (nil: a new one), whose buffers it reuses.
func decodeParquetChunk(part *chunkPart, chunk parquet.ColumnChunk, text func([]byte, parquet.Value) []byte, seed maphash.Seed, maxDef int, rows int64) (*chunkPart, error) {
	pages := chunk.Pages()
	defer pages.Close()
	if part == nil {
		part = &chunkPart{offs: make([]uint32, 1, 1<<10)}
	}
	codes := part.codes
	if codes == nil {
		codes = part.spareCodes
	}
	buf := part.buf[:0]
	if part.kept {
		buf = nil
	}
	*part = chunkPart{buf: buf, offs: append(part.offs[:0], 0), hash: part.hash[:0], spareCodes: codes[:0], nullEntry: -1, utf8: true}
	d := &chunkDecoder{part: part, text: text, seed: seed, maxDef: maxDef, raw: parquetRawText(chunk.Type()), rows: int(rows)}
	for {
		p, err := pages.ReadPage()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		err = d.page(p)
		parquet.Release(p)
		if err != nil {
			return nil, err
		}
	}
	if int64(part.rows) != rows {
		return nil, fmt.Errorf("%d values, want %d", part.rows, rows)
	}
	return part, nil
}

// entries is the number of texts the part holds.
func (p *chunkPart) entries() int { return len(p.offs) - 1 }

// entry is the text of entry i.
func (p *chunkPart) entry(i int32) []byte { return p.buf[p.offs[i]:p.offs[i+1]] }

// add appends one entry and returns its index.
func (d *chunkDecoder) add(b []byte) (int32, error) {
	p := d.part
	if uint64(len(p.buf))+uint64(len(b)) > math.MaxUint32 {
		return 0, errChunkTooLarge
	}
	p.buf = append(p.buf, b...)
	p.offs = append(p.offs, uint32(len(p.buf)))
	p.utf8 = false // merge checks it
	p.hash = append(p.hash, maphash.Bytes(d.seed, b))
	return int32(p.entries() - 1), nil
}

// row appends one row of text b (nil: a null).
func (d *chunkDecoder) row(b []byte) error {
	p := d.part
	if p.codes == nil {
		if _, err := d.add(b); err != nil {
			return err
		}
		p.rows++
		return nil
	}
	if b == nil {
		return d.null()
	}
	e, err := d.add(b)
	if err != nil {
		return err
	}
	p.codes = append(p.codes, e)
	p.rows++
	return nil
}

// null appends a null row in a part that keeps codes.
func (d *chunkDecoder) null() error {
	p := d.part
	if p.nullEntry < 0 {
		e, err := d.add(nil)
		if err != nil {
			return err
		}
		p.nullEntry = e
	}
	p.codes = append(p.codes, p.nullEntry)
	p.rows++
	return nil
}

// keepCodes switches the part to one code per row (rows so far are their
// entries), with room for rows codes.
func (p *chunkPart) keepCodes(rows int) {
	if p.codes != nil {
		return
	}
	p.codes = slices.Grow(p.spareCodes[:0], max(p.rows, cap(p.offs), rows))[:p.rows]
	for i := range p.codes {
		p.codes[i] = int32(i)
	}
}

// page appends the rows of p.
func (d *chunkDecoder) page(p parquet.Page) error {
	if dict := p.Dictionary(); dict != nil {
		if data := p.Data(); data.Kind() == encoding.Int32 {
			return d.indexed(p, dict, data.Int32())
		}
	}
	if d.raw {
		if data := p.Data(); data.Kind() == encoding.ByteArray {
			b, offs := data.ByteArray()
			return d.plainBytes(p, b, offs)
		}
	}
	if d.vals == nil {
		d.vals = make([]parquet.Value, parquetBatch)
	}
	vr := p.Values()
	for {
		n, err := vr.ReadValues(d.vals)
		if n == 0 && err == nil {
			return fmt.Errorf("row %d: a page that yields no values", d.part.rows+1)
		}
		for _, v := range d.vals[:n] {
			var b []byte
			if !v.IsNull() {
				d.tmp = d.text(d.tmp[:0], v)
				b = d.tmp
				if b == nil {
					b = []byte{}
				}
			}
			if err := d.row(b); err != nil {
				return err
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// plainBytes appends the rows of a plain page of a string column straight
// from its buffer (values b[offs[i]:offs[i+1]]), nulls by its definition
// levels.
func (d *chunkDecoder) plainBytes(p parquet.Page, b []byte, offs []uint32) error {
	levels := p.DefinitionLevels()
	n := max(len(offs)-1, 0)
	for i := range n {
		if lo, hi := offs[i], offs[i+1]; lo > hi || int(hi) > len(b) {
			return fmt.Errorf("row %d: a value beyond the page", d.part.rows+i+1)
		}
	}
	if d.part.codes == nil && (d.maxDef == 0 || len(levels) == 0) {
		// The common case: every row a value, copied in one piece.
		part := d.part
		if n > 0 && part.entries() == 0 {
			// The first page: room for the chunk's rows, as long as these
			// (at most 256 pages like it and 8 M rows, should the footer
			// lie).
			rows := min(max(d.rows, n), 256*n, max(n, 1<<23))
			part.hash = slices.Grow(part.hash[:0], rows)
			part.offs = slices.Grow(part.offs, rows)
			if want := min(int(offs[n]-offs[0])/n*rows*9/8+64, 1<<28); cap(part.buf) < want {
				part.buf = make([]byte, 0, want)
				adviseHuge(unsafe.Pointer(unsafe.SliceData(part.buf)), want)
			}
		}
		if n > 0 {
			base := uint64(len(part.buf)) - uint64(offs[0])
			if base+uint64(offs[n]) > math.MaxUint32 {
				return errChunkTooLarge
			}
			if part.utf8 {
				part.utf8 = utf8Pieces(b, offs)
			}
			part.buf = append(part.buf, b[offs[0]:offs[n]]...)
			for i := range n {
				part.offs = append(part.offs, uint32(base+uint64(offs[i+1])))
				part.hash = append(part.hash, maphash.Bytes(d.seed, b[offs[i]:offs[i+1]]))
			}
		}
		part.rows += n
		return nil
	}
	next := 0
	one := func() error {
		if next >= n {
			return fmt.Errorf("row %d: fewer values than the page declares", d.part.rows+1)
		}
		v := b[offs[next]:offs[next+1]:offs[next+1]]
		next++
		return d.row(v)
	}
	if d.maxDef == 0 || len(levels) == 0 {
		for range n {
			if err := one(); err != nil {
				return err
			}
		}
		return nil
	}
	for _, l := range levels {
		var err error
		if int(l) < d.maxDef {
			err = d.row(nil)
		} else {
			err = one()
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// indexed appends the rows of a dictionary-encoded page: the chunk's
// dictionary becomes entries once (its texts converted once), and the
// page's indexes become codes as they are, shifted by where the
// dictionary begins.
func (d *chunkDecoder) indexed(p parquet.Page, dict parquet.Dictionary, idx []int32) error {
	part := d.part
	// room for the chunk's rows (at most 256 pages like this one, should
	// the footer lie)
	part.keepCodes(min(d.rows, 256*max(len(idx), len(p.DefinitionLevels()))))
	if part.dictOf != dict {
		if err := d.dictionary(dict); err != nil {
			return err
		}
	}
	levels := p.DefinitionLevels()
	if d.maxDef > 0 && len(levels) == 0 && p.NumNulls() > 0 {
		return fmt.Errorf("a page with nulls and no definition levels")
	}
	size, base := int32(dict.Len()), part.dictBase
	if d.maxDef == 0 || len(levels) == 0 {
		// Every row a value: the indexes in bulk, shifted.
		start := len(part.codes)
		part.codes = slices.Grow(part.codes, len(idx))[:start+len(idx)]
		out := part.codes[start:]
		for j, i := range idx {
			if uint32(i) >= uint32(size) {
				return fmt.Errorf("row %d: dictionary index %d out of range", part.rows+j+1, i)
			}
			out[j] = base + i
		}
		part.rows += len(idx)
		return nil
	}
	next := 0
	for _, l := range levels {
		if int(l) < d.maxDef {
			if err := d.null(); err != nil {
				return err
			}
			continue
		}
		if next >= len(idx) {
			return fmt.Errorf("row %d: fewer values than the page declares", part.rows+1)
		}
		i := idx[next]
		next++
		if uint32(i) >= uint32(size) {
			return fmt.Errorf("row %d: dictionary index %d out of range", part.rows+1, i)
		}
		part.codes = append(part.codes, base+i)
		part.rows++
	}
	return nil
}

// utf8Pieces reports whether every value b[offs[i]:offs[i+1]] is UTF-8:
// the bytes of all of them are, and each begins a character.
func utf8Pieces(b []byte, offs []uint32) bool {
	n := len(offs) - 1
	end := offs[n]
	if !utf8.Valid(b[offs[0]:end]) {
		return false
	}
	for _, o := range offs[1:n] {
		if o < end && !utf8.RuneStart(b[o]) {
			return false
		}
	}
	return true
}

// dictionary appends the texts of dict as entries.
func (d *chunkDecoder) dictionary(dict parquet.Dictionary) error {
	part := d.part
	part.dictOf, part.dictBase = dict, int32(part.entries())
	if d.raw {
		if data := dict.Page().Data(); data.Kind() == encoding.ByteArray {
			b, offs := data.ByteArray()
			if len(offs) != dict.Len()+1 {
				return fmt.Errorf("a dictionary of %d values with %d offsets", dict.Len(), len(offs))
			}
			for i := range dict.Len() {
				lo, hi := offs[i], offs[i+1]
				if lo > hi || int(hi) > len(b) {
					return fmt.Errorf("dictionary value %d beyond its page", i)
				}
				if _, err := d.add(b[lo:hi]); err != nil {
					return err
				}
			}
			return nil
		}
	}
	for i := range int32(dict.Len()) {
		d.tmp = d.text(d.tmp[:0], dict.Index(i))
		if _, err := d.add(d.tmp); err != nil {
			return err
		}
	}
	return nil
}
