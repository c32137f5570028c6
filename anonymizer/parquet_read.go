package anonymizer

import (
	"bytes"
	"fmt"
	"hash/maphash"
	"io"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

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
// The file is read GOMAXPROCS row groups at a time. First every column
// chunk of those row groups is decoded on its own, in parallel
// (decodeParquetChunk): a dictionary page becomes the chunk's texts once
// and its pages' indexes stay integers; a plain page of strings is copied
// from its buffer in one piece and hashed. Then each column interns its
// chunks in row order (columnIntern), the columns in parallel: a
// dictionary is mapped to the column's codes once per chunk, each index
// then looked up in that map; no string is made per value. The columns
// opt.Skip names are never decoded. Memory holds the table being built
// and the decoded chunks of the row groups in flight, never the file.
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
			// the footer's count, within reason: a damaged file may claim
			// anything (merge grows it by what was decoded)
			c.Codes = make([]int32, 0, min(max(f.NumRows(), 0), 1<<20))
			interns[i] = newColumnIntern(c, seed, f.NumRows())
		}
	}
	groups := f.RowGroups()
	procs := runtime.GOMAXPROCS(0)
	var done int64
	// spare holds the parts of the last batch, by task, for their buffers:
	// memory already touched is cheaper than fresh memory.
	spare := make([]*chunkPart, procs*len(read))
	for g0 := 0; g0 < len(groups); g0 += procs {
		batch := groups[g0:min(g0+procs, len(groups))]
		parts := make([][]*chunkPart, len(batch))
		for g := range parts {
			parts[g] = make([]*chunkPart, len(t.Columns))
		}
		// Decode every chunk of the batch, GOMAXPROCS at a time.
		err := parallel(procs, len(batch)*len(read), func(task int) error {
			g, ci := task/len(read), read[task%len(read)]
			part, err := decodeParquetChunk(spare[task], batch[g].ColumnChunks()[ci], texts[ci], seed,
				leaves[ci].MaxDefinitionLevel(), batch[g].NumRows())
			if err != nil {
				return fmt.Errorf("%s: row group %d: column %q: %w", name, g0+g+1, header[ci], err)
			}
			parts[g][ci] = part
			return nil
		}, name)
		if err != nil {
			return nil, err
		}
		// Intern them, each column in row order, the columns in parallel.
		err = parallel(procs, len(read), func(task int) error {
			ci := read[task]
			for g := range batch {
				if err := interns[ci].merge(parts[g][ci]); err != nil {
					return fmt.Errorf("%s: row group %d: column %q: %w", name, g0+g+1, header[ci], err)
				}
				spare[g*len(read)+task], parts[g][ci] = parts[g][ci], nil
			}
			return nil
		}, name)
		if err != nil {
			return nil, err
		}
		for g, rg := range batch {
			t.rows += int(rg.NumRows())
			done += parquetRowGroupBytes(f, g0+g)
		}
		if opt.Progress != nil {
			opt.Progress(min(done, size), size)
		}
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

// parallel runs task(0) … task(n-1) on up to procs goroutines and returns
// the error of the lowest-numbered task that failed (a panic of the
// decoder on a damaged file is the error of an unreadable file name).
func parallel(procs, n int, task func(int) error, name string) error {
	errs := make([]error, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(procs, n) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				func() {
					defer recoverParquet(name, &errs[i])
					errs[i] = task(i)
				}()
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
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
