package anonymizer

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
)

// ReadOptions control how a table file is read. The zero value sniffs
// everything.
type ReadOptions struct {
	// Delimiter of CSV/TSV input; 0 sniffs it from the first lines
	// (one of , ; TAB |).
	Delimiter rune
	// Format of the input; "" takes it from the file extension, or sniffs it.
	Format Format
	// Sheet of an XLSX workbook; "" reads the first sheet.
	Sheet string
	// Progress, when set, is called now and then with the bytes read so far
	// and the total (-1 when unknown).
	Progress func(bytesRead, total int64)
	// Skip names columns to read without keeping their values: their fields
	// are counted and checked for undecodable bytes, but the table holds
	// only their names (Column.Skipped). For columns that are only to be
	// dropped: ten million identity numbers held for nothing cost most of
	// a gigabyte. Names that are not columns are ignored.
	Skip []string
	// Carry names columns whose values are only carried to a release
	// (pseudonymized): where their values barely repeat, the CSV reader
	// keeps each row's value as it comes instead of looking it up among
	// the column's values, so that the column's Dict may hold a value more
	// than once (Column.Carried). Ten million unique telephone numbers
	// were a second of the read's CPU in lookups that merged nothing.
	// Other formats, and columns whose values repeat, read as without it.
	Carry []string
}

// ReadFile reads the table in the file at path and returns it with the format
// it was read as. Errors are one line naming the file, the line and the
// column (ragged rows, undecodable bytes, bad JSON, unknown sheet).
func ReadFile(path string, opt ReadOptions) (*Table, Format, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, "", fmt.Errorf("read table: %w", err)
	}
	defer f.Close()
	total := int64(-1)
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
		total = st.Size()
	}
	if total >= 0 && isParquetFile(f, path, opt.Format) {
		t, err := ReadParquet(f, total, path, opt)
		return t, FormatParquet, err
	}
	return readTable(f, path, total, opt)
}

// ReadTable reads a table from r; name names the input in errors and its
// extension is a format hint. See ReadFile. Parquet is read only from an r
// that is also an io.ReaderAt with a Size (a *bytes.Reader, an
// *io.SectionReader): its schema is at its end.
func ReadTable(r io.Reader, name string, opt ReadOptions) (*Table, Format, error) {
	if ra, ok := r.(sizedReaderAt); ok && isParquetFile(ra, name, opt.Format) {
		t, err := ReadParquet(ra, ra.Size(), name, opt)
		return t, FormatParquet, err
	}
	return readTable(r, name, -1, opt)
}

func readTable(r io.Reader, name string, total int64, opt ReadOptions) (*Table, Format, error) {
	if opt.Progress != nil {
		r = &progressReader{r: r, total: total, fn: opt.Progress}
		defer r.(*progressReader).done()
	}
	br := bufio.NewReaderSize(r, 1<<20)
	f := opt.Format
	if f == "" {
		f = FormatFromPath(name)
	}
	if f == "" {
		head, _ := br.Peek(512)
		f = sniffFormat(head)
	}
	var (
		t   *Table
		err error
	)
	var skip map[string]bool
	if len(opt.Skip) > 0 {
		skip = make(map[string]bool, len(opt.Skip))
		for _, n := range opt.Skip {
			skip[n] = true
		}
	}
	var carry map[string]bool
	if len(opt.Carry) > 0 {
		carry = make(map[string]bool, len(opt.Carry))
		for _, n := range opt.Carry {
			carry[n] = true
		}
	}
	switch f {
	case FormatCSV, FormatTSV:
		delim := opt.Delimiter
		if delim == 0 && f == FormatTSV {
			delim = '\t'
		}
		t, err = readDelimited(br, name, delim, total, skip, carry)
	case FormatJSONL:
		t, err = readJSONL(br, name, skip)
	case FormatXLSX:
		t, err = readXLSX(br, name, opt.Sheet, skip)
	case FormatParquet:
		return nil, f, fmt.Errorf("%s: Parquet is read from a file (ReadFile, ReadParquet), not a stream", name)
	default:
		return nil, "", fmt.Errorf("%s: unknown format %q (want csv, tsv, jsonl, xlsx or parquet)", name, f)
	}
	if err != nil {
		return nil, f, err
	}
	t.dropIndexes()
	return t, f, nil
}

// peekSample returns up to sniffSize bytes of br without consuming them and
// whether that is the whole input.
func peekSample(br *bufio.Reader) ([]byte, bool, error) {
	b, err := br.Peek(sniffSize)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, false, err
	}
	// A reader whose buffer is smaller than sniffSize returns what fits
	// (bufio.ErrBufferFull): that is not the end of the input.
	return b, len(b) < sniffSize && !errors.Is(err, bufio.ErrBufferFull), nil
}

// skipBOM consumes a UTF-8 byte order mark at the start of br.
func skipBOM(br *bufio.Reader) {
	if b, _ := br.Peek(3); bytes.Equal(b, utf8BOM) {
		br.Discard(3)
	}
}

// progressReader reports bytes read at most once per progressStep.
type progressReader struct {
	r          io.Reader
	n, last    int64
	total      int64
	fn         func(int64, int64)
	doneCalled bool
}

const progressStep = 4 << 20

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.n += int64(n)
	if p.n-p.last >= progressStep {
		p.last = p.n
		p.fn(p.n, p.total)
	}
	return n, err
}

func (p *progressReader) done() {
	if !p.doneCalled {
		p.doneCalled = true
		p.fn(p.n, p.total)
	}
}
