package anonymizer

import (
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/encoding"
)

// readParquetChunk appends the rows values of one column chunk to col.
func readParquetChunk(col *Column, chunk parquet.ColumnChunk, text func([]byte, parquet.Value) []byte, maxDef int, rows int64) error {
	pages := chunk.Pages()
	defer pages.Close()
	col.ensureIndex()
	want := int64(len(col.Codes)) + rows
	d := &chunkDecoder{col: col, text: text, maxDef: maxDef, raw: parquetRawText(chunk.Type())}
	for {
		p, err := pages.ReadPage()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		err = d.page(p)
		parquet.Release(p)
		if err != nil {
			return err
		}
	}
	if got := int64(len(col.Codes)); got != want {
		return fmt.Errorf("%d values, want %d", got-(want-rows), rows)
	}
	return nil
}

// chunkDecoder turns the pages of one column chunk into codes of col.
type chunkDecoder struct {
	col    *Column
	text   func([]byte, parquet.Value) []byte
	maxDef int
	// raw: the column's text is its bytes (a string column), read from a
	// plain page without materializing values.
	raw  bool
	buf  []byte
	vals []parquet.Value
	// dict maps the indexes of the chunk's dictionary to col's codes
	// (-1: not converted yet); dictOf is the dictionary it maps.
	dict   []int32
	dictOf parquet.Dictionary
}

// page appends the values of p.
func (d *chunkDecoder) page(p parquet.Page) error {
	if dict := p.Dictionary(); dict != nil {
		if data := p.Data(); data.Kind() == encoding.Int32 {
			return d.indexed(p, dict)
		}
	}
	if d.raw {
		if data := p.Data(); data.Kind() == encoding.ByteArray {
			return d.plainBytes(p, &data)
		}
	}
	if d.vals == nil {
		d.vals = make([]parquet.Value, parquetBatch)
	}
	vr := p.Values()
	for {
		n, err := vr.ReadValues(d.vals)
		for _, v := range d.vals[:n] {
			if err := d.value(v); err != nil {
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

// value appends one decoded value.
func (d *chunkDecoder) value(v parquet.Value) error {
	if v.IsNull() {
		return d.append(nil)
	}
	d.buf = d.text(d.buf[:0], v)
	return d.append(d.buf)
}

// append appends the code of text b.
func (d *chunkDecoder) append(b []byte) error {
	code, ok := d.code(b)
	if !ok {
		return fmt.Errorf("row %d: bytes that are not UTF-8 text", len(d.col.Codes)+1)
	}
	d.col.Codes = append(d.col.Codes, code)
	return nil
}

// code returns the code of text b in the column, adding it when new; it
// returns false for a new b that is not UTF-8.
func (d *chunkDecoder) code(b []byte) (int32, bool) {
	c := d.col
	if code, ok := c.index[string(b)]; ok {
		return code, true
	}
	if !utf8.Valid(b) {
		return 0, false
	}
	v := string(b)
	code := int32(len(c.Dict))
	c.Dict = append(c.Dict, v)
	c.index[v] = code
	return code, true
}

// plainBytes appends the values of a plain page of a string column
// straight from its bytes, nulls by its definition levels.
func (d *chunkDecoder) plainBytes(p parquet.Page, data *encoding.Values) error {
	b, offs := data.ByteArray()
	levels := p.DefinitionLevels()
	next := 0
	one := func() error {
		if next+1 >= len(offs) {
			return fmt.Errorf("row %d: fewer values than the page declares", len(d.col.Codes)+1)
		}
		lo, hi := offs[next], offs[next+1]
		next++
		if lo > hi || int(hi) > len(b) {
			return fmt.Errorf("row %d: a value beyond the page", len(d.col.Codes)+1)
		}
		return d.append(b[lo:hi])
	}
	if d.maxDef == 0 || len(levels) == 0 {
		for range max(len(offs)-1, 0) {
			if err := one(); err != nil {
				return err
			}
		}
		return nil
	}
	for _, l := range levels {
		var err error
		if int(l) < d.maxDef {
			err = d.append(nil)
		} else {
			err = one()
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// indexed appends the values of a dictionary-encoded page: each index is
// mapped to a code through the dictionary, converting each dictionary
// value to text once per column chunk.
func (d *chunkDecoder) indexed(p parquet.Page, dict parquet.Dictionary) error {
	if d.dictOf != dict {
		d.dictOf = dict
		d.dict = make([]int32, dict.Len())
		for i := range d.dict {
			d.dict[i] = -1
		}
	}
	data := p.Data()
	idx := data.Int32()
	levels := p.DefinitionLevels()
	if d.maxDef > 0 && len(levels) == 0 && p.NumNulls() > 0 {
		return fmt.Errorf("a page with nulls and no definition levels")
	}
	next := 0
	emit := func() error {
		if next >= len(idx) {
			return fmt.Errorf("row %d: fewer values than the page declares", len(d.col.Codes)+1)
		}
		i := idx[next]
		next++
		if i < 0 || int(i) >= len(d.dict) {
			return fmt.Errorf("row %d: dictionary index %d out of range", len(d.col.Codes)+1, i)
		}
		if d.dict[i] < 0 {
			d.buf = d.text(d.buf[:0], dict.Index(i))
			code, ok := d.code(d.buf)
			if !ok {
				return fmt.Errorf("row %d: bytes that are not UTF-8 text", len(d.col.Codes)+1)
			}
			d.dict[i] = code
		}
		d.col.Codes = append(d.col.Codes, d.dict[i])
		return nil
	}
	if len(levels) == 0 {
		for range idx {
			if err := emit(); err != nil {
				return err
			}
		}
		return nil
	}
	for _, l := range levels {
		if int(l) < d.maxDef {
			if err := d.append(nil); err != nil {
				return err
			}
			continue
		}
		if err := emit(); err != nil {
			return err
		}
	}
	return nil
}
