package anonymizer

import (
	"bytes"
	"fmt"
	"hash/maphash"
	"io"
	"runtime"
	"strings"
	"sync"
	"unsafe"

	"github.com/parquet-go/parquet-go"
)

// parquetMagic begins and ends every Parquet file.
var parquetMagic = []byte("PAR1")

// parquetBatch is how many values are decoded at a time from a page.
const parquetBatch = 4096

// ReadParquet reads a flat Parquet file of size bytes from r as a table:
// one column per leaf (a leaf inside a group is named by its path joined
// with "."), in the file's order; every value as the text a CSV export of
// the table would hold (see parquetText), a null as "". Rows carry no line
// numbers (Table.Lines is nil). A file that is not Parquet, a repeated
// (list) column, or a page that does not decode is an error naming the
// input, the row group and the column.
//
// Two kinds of work run on GOMAXPROCS goroutines, whichever is ready
// (parquetSchedule): decoding one column chunk on its own
// (decodeParquetChunk): a dictionary page becomes the chunk's texts once
// and its pages' indexes stay integers; a plain page of strings is copied
// from its buffer in one piece, hashed and checked for UTF-8; and
// interning a decoded chunk into its column (columnIntern), each column's
// chunks in row order, as soon as the chunk and the column's previous
// ones are done: a dictionary is mapped to the column's codes once per
// chunk, each index then looked up in that map; no string is made per
// value. The columns opt.Skip names are never decoded. Memory holds the
// table being built and the decoded chunks of at most GOMAXPROCS+1 row
// groups, never the file.
func ReadParquet(r io.ReaderAt, size int64, name string, opt ReadOptions) (t *Table, err error) {
	defer recoverParquet(name, &err)
	f, leaves, header, texts, err := openParquet(r, size, name)
	if err != nil {
		return nil, err
	}
	if t, err = newTable(name, header, readSkip(opt.Skip)); err != nil {
		return nil, err
	}
	seed := maphash.MakeSeed()
	var read []int // the columns decoded
	interns := make([]*columnIntern, len(t.Columns))
	for i, c := range t.Columns {
		if !c.skipped {
			read = append(read, i)
		}
	}
	for _, i := range read {
		// The footer's count, at once: the table's largest part, made
		// before the rest, so that the collector finds a large heap
		// early and runs less often. Within reason (at most 64 codes per
		// byte of the file, but 1 M codes always): a damaged file may
		// claim anything, and merge grows it by what was decoded.
		c := t.Columns[i]
		c.Codes = make([]int32, 0, min(max(f.NumRows(), 0), max(1<<20, 64*size/int64(len(read)))))
		adviseHuge(unsafe.Pointer(unsafe.SliceData(c.Codes)), 4*cap(c.Codes))
		interns[i] = newColumnIntern(c, f.NumRows())
	}
	groups := f.RowGroups()
	var done int64
	s := parquetSchedule{
		groups: len(groups), columns: len(read), window: runtime.GOMAXPROCS(0) + 1,
		decode: func(spare *chunkPart, g, k int) (*chunkPart, error) {
			ci := read[k]
			part, err := decodeParquetChunk(spare, groups[g].ColumnChunks()[ci], texts[ci], seed,
				leaves[ci].MaxDefinitionLevel(), groups[g].NumRows())
			if err != nil {
				return nil, fmt.Errorf("%s: row group %d: column %q: %w", name, g+1, header[ci], err)
			}
			return part, nil
		},
		merge: func(part *chunkPart, g, k int) error {
			ci := read[k]
			if err := interns[ci].merge(part); err != nil {
				return fmt.Errorf("%s: row group %d: column %q: %w", name, g+1, header[ci], err)
			}
			return nil
		},
		groupDone: func(g int) {
			t.rows += int(groups[g].NumRows())
			done += parquetRowGroupBytes(f, g)
			if opt.Progress != nil {
				opt.Progress(min(done, size), size)
			}
		},
	}
	if err := s.run(runtime.GOMAXPROCS(0), name); err != nil {
		return nil, err
	}
	for i, c := range t.Columns {
		if interns[i] != nil {
			interns[i].finish()
		}
		// The column has no index: Code builds one on first use.
		c.index, c.indexOnce = nil, sync.Once{}
	}
	return t, nil
}

// openParquet opens a flat Parquet file and returns its leaf columns,
// their names and the text function of each.
func openParquet(r io.ReaderAt, size int64, name string) (*parquet.File, []*parquet.Column, []string, []func([]byte, parquet.Value) []byte, error) {
	f, err := parquet.OpenFile(r, size, parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
	if err != nil {
		return nil, nil, nil, nil, fmt.Errorf("%s: not a readable Parquet file: %w", name, err)
	}
	var rows int64
	for _, rg := range f.RowGroups() {
		rows += rg.NumRows()
	}
	if rows != f.NumRows() {
		return nil, nil, nil, nil, fmt.Errorf("%s: not a readable Parquet file: its footer counts %d rows, its row groups %d", name, f.NumRows(), rows)
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
