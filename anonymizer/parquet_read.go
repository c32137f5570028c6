package anonymizer

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/encoding"
)

// parquetMagic begins and ends every Parquet file.
var parquetMagic = []byte("PAR1")

// parquetBatch is how many values are decoded at a time from a page.
const parquetBatch = 4096

// ReadParquet reads a flat Parquet file of size bytes from r as a table:
// one column per leaf (a leaf inside a group is named by its path joined
// with "."), in the file's order; every value as the text a CSV export of
// the table would hold (see parquetText), a null as "". The file is read
// row group by row group and column chunk by column chunk, page by page:
// memory holds the table being built and one page, never the file. A
// dictionary-encoded page is mapped to the table's codes through its
// dictionary, each dictionary value converted once. Rows carry no line
// numbers (Table.Lines is nil). A file that is not Parquet, a repeated
// (list) column, or a page that does not decode is an error naming the
// input, the row group and the column.
func ReadParquet(r io.ReaderAt, size int64, name string, opt ReadOptions) (t *Table, err error) {
	defer recoverParquet(name, &err)
	f, leaves, header, texts, err := openParquet(r, size, name)
	if err != nil {
		return nil, err
	}
	if t, err = newTable(name, header, readSkip(opt.Skip)); err != nil {
		return nil, err
	}
	for _, c := range t.Columns {
		if !c.skipped {
			// the footer's count, within reason: a damaged file may claim anything
			c.Codes = make([]int32, 0, min(max(f.NumRows(), 0), 1<<24))
		}
	}
	var done int64
	errs := make([]error, len(t.Columns))
	workers := min(runtime.GOMAXPROCS(0), len(t.Columns))
	for g, rg := range f.RowGroups() {
		n := rg.NumRows()
		chunks := rg.ColumnChunks()
		// Columns are independent (each owns its dictionary): a row group's
		// column chunks are decoded on up to GOMAXPROCS goroutines.
		var wg sync.WaitGroup
		for w := range workers {
			wg.Go(func() {
				defer recoverParquet(name, &errs[w])
				for ci := w; ci < len(t.Columns); ci += workers {
					if col := t.Columns[ci]; !col.skipped && errs[ci] == nil {
						if err := readParquetChunk(col, chunks[ci], texts[ci], leaves[ci].MaxDefinitionLevel(), n); err != nil {
							errs[ci] = fmt.Errorf("%s: row group %d: column %q: %w", name, g+1, col.Name, err)
						}
					}
				}
			})
		}
		wg.Wait()
		for _, e := range errs { // the first column's error
			if e != nil {
				return nil, e
			}
		}
		t.rows += int(n)
		if opt.Progress != nil {
			done += parquetRowGroupBytes(f, g)
			opt.Progress(min(done, size), size)
		}
	}
	t.dropIndexes()
	return t, nil
}

// openParquet opens a flat Parquet file and returns its leaf columns,
// their names and the text function of each.
func openParquet(r io.ReaderAt, size int64, name string) (*parquet.File, []*parquet.Column, []string, []func([]byte, parquet.Value) []byte, error) {
	f, err := parquet.OpenFile(r, size, parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
	if err != nil {
		return nil, nil, nil, nil, fmt.Errorf("%s: not a readable Parquet file: %w", name, err)
	}
	leaves := parquetLeaves(f.Root(), nil)
	header := make([]string, len(leaves))
	texts := make([]func([]byte, parquet.Value) []byte, len(leaves))
	for i, c := range leaves {
		header[i] = cleanName(strings.Join(c.Path(), "."))
		if c.MaxRepetitionLevel() > 0 {
			return nil, nil, nil, nil, fmt.Errorf("%s: column %q: a repeated (list) column, want a flat table", name, header[i])
		}
		if texts[i], err = parquetText(c); err != nil {
			return nil, nil, nil, nil, fmt.Errorf("%s: column %q: %w", name, header[i], err)
		}
	}
	if len(header) == 0 {
		return nil, nil, nil, nil, fmt.Errorf("%s: a Parquet file without columns", name)
	}
	if _, err := NewTable(name, header); err != nil {
		return nil, nil, nil, nil, err
	}
	return f, leaves, header, texts, nil
}

// readSkip is the set of ReadOptions.Skip.
func readSkip(names []string) map[string]bool {
	if len(names) == 0 {
		return nil
	}
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// parquetLeaves lists the leaf columns under c, depth first (the order of
// a row group's column chunks).
func parquetLeaves(c *parquet.Column, out []*parquet.Column) []*parquet.Column {
	if c.Leaf() {
		return append(out, c)
	}
	for _, child := range c.Columns() {
		out = parquetLeaves(child, out)
	}
	return out
}

// parquetRowGroupBytes is the compressed size of row group g.
func parquetRowGroupBytes(f *parquet.File, g int) int64 {
	md := f.Metadata()
	if g < len(md.RowGroups) {
		return md.RowGroups[g].TotalByteSize
	}
	return 0
}

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

// isParquetHead reports whether head begins a Parquet file.
func isParquetHead(head []byte) bool { return bytes.HasPrefix(head, parquetMagic) }

// isParquetFile reports whether the file at path is read as Parquet: the
// format given says so, or, given none, its extension or its first bytes.
func isParquetFile(f io.ReaderAt, path string, given Format) bool {
	if given != "" {
		return given == FormatParquet
	}
	if named := FormatFromPath(path); named != "" {
		return named == FormatParquet
	}
	head := make([]byte, len(parquetMagic))
	n, _ := f.ReadAt(head, 0)
	return isParquetHead(head[:n])
}

// sizedReaderAt is random access to an input of known size.
type sizedReaderAt interface {
	io.ReaderAt
	Size() int64
}

// recoverParquet turns a panic of the Parquet decoder on a damaged file
// into the error of an unreadable file (the decoder trusts lengths and
// offsets it reads from the file).
func recoverParquet(name string, err *error) {
	if p := recover(); p != nil {
		*err = fmt.Errorf("%s: not a readable Parquet file: %v", name, p)
	}
}
