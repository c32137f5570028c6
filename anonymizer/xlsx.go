package anonymizer

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/xuri/excelize/v2"
)

// xlsxMaxRows is the most rows a worksheet holds (header included).
const xlsxMaxRows = 1048576

// readXLSX reads one sheet of an XLSX workbook (the first, or the named
// one): its first non-empty row is the header; empty rows are skipped;
// trailing empty cells may be omitted. Line numbers are sheet row numbers.
func readXLSX(r io.Reader, name, sheet string, skip map[string]bool) (*Table, error) {
	f, err := excelize.OpenReader(r)
	if err != nil {
		return nil, fmt.Errorf("%s: line 1: not a readable XLSX workbook: %w", name, err)
	}
	defer f.Close()
	var t *Table
	err = scanXLSX(context.Background(), f, name, sheet,
		func(header []string) (err error) {
			t, err = newTable(name, header, skip)
			return err
		},
		func(line int, cells []string) error { return t.AppendRow(cells, line) })
	if err != nil {
		return nil, err
	}
	return t, nil
}

// xlsxInMemory is the size above which a part of a profiled workbook (a
// worksheet, the shared strings) is unzipped to a temporary file and
// read from there (excelize's UnzipXMLSizeLimit).
const xlsxInMemory = 1 << 20

// profileXLSX is ProfileTable of an XLSX workbook, in bounded memory: the
// workbook is copied to a temporary file (a zip is read from its end),
// opened from there with every large part unzipped to a temporary file
// too, and the first sheet's rows are streamed (excelize's Rows) through
// the checks of readXLSX into the sample; no table of the sheet is built.
// The temporary files are removed before it returns. It stops with ctx's
// error when ctx ends.
func profileXLSX(ctx context.Context, r io.Reader, name string, opt ProfileOptions) (*Profile, error) {
	// The spooled workbook and the parts excelize unzips to files live in
	// one private folder, removed whatever happens (excelize leaves its
	// files behind when a workbook fails to open half-way).
	dir, err := os.MkdirTemp("", "shujiao-xlsx-*")
	if err != nil {
		return nil, fmt.Errorf("%s: spool workbook: %w", name, err)
	}
	defer os.RemoveAll(dir)
	tmp, err := os.CreateTemp(dir, "workbook-*.xlsx")
	if err != nil {
		return nil, fmt.Errorf("%s: spool workbook: %w", name, err)
	}
	_, err = io.Copy(tmp, &ctxReader{ctx: ctx, r: r})
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("%s: spool workbook: %w", name, err)
	}
	f, err := excelize.OpenFile(tmp.Name(), excelize.Options{UnzipXMLSizeLimit: xlsxInMemory, TmpDir: dir})
	if err != nil {
		if f != nil {
			f.Close()
		}
		return nil, fmt.Errorf("%s: line 1: not a readable XLSX workbook: %w", name, err)
	}
	defer f.Close()
	var header []string
	res := newReservoir(opt)
	err = scanXLSX(ctx, f, name, "",
		func(h []string) error {
			header = h
			_, err := NewTable(name, h) // the same checks of the names
			return err
		},
		func(line int, cells []string) error {
			res.offer(cells, line)
			return nil
		})
	if err != nil {
		return nil, err
	}
	t, err := res.table(name, header)
	if err != nil {
		return nil, err
	}
	return &Profile{Rows: res.seen, Columns: header, Sample: t}, nil
}

// scanXLSX streams the rows of one sheet of f (the first, or the named
// one) with excelize's row iterator: the first non-empty row, its names
// cleaned, goes to header; each later non-empty row, padded with "" to the
// header's width, to row with its sheet row number (cells is reused).
// Errors name the input, the sheet and the line (and the column of a row
// wider than the header). It stops with ctx's error when ctx ends.
func scanXLSX(ctx context.Context, f *excelize.File, name, sheet string, header func([]string) error, row func(line int, cells []string) error) error {
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return fmt.Errorf("%s: line 1: workbook has no sheets", name)
	}
	if sheet == "" {
		sheet = sheets[0]
	} else if !containsString(sheets, sheet) {
		return fmt.Errorf("%s: sheet %q: no such sheet (sheets: %s)", name, sheet, strings.Join(sheets, ", "))
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		return fmt.Errorf("%s: sheet %q: %w", name, sheet, err)
	}
	defer rows.Close()
	var names []string
	for line := 1; rows.Next(); line++ {
		if line%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		cells, err := rows.Columns()
		if err != nil {
			return fmt.Errorf("%s: sheet %q: line %d: %w", name, sheet, line, err)
		}
		for len(cells) > 0 && cells[len(cells)-1] == "" && (names == nil || len(cells) > len(names)) {
			cells = cells[:len(cells)-1]
		}
		if len(cells) == 0 {
			continue
		}
		if names == nil {
			for i := range cells {
				cells[i] = cleanName(cells[i])
			}
			names = cells
			if err := header(names); err != nil {
				return fmt.Errorf("%s: sheet %q: line %d: %w", name, sheet, line, err)
			}
			continue
		}
		if len(cells) > len(names) {
			return raggedRow(fmt.Sprintf("%s: sheet %q", name, sheet), line, len(cells), names)
		}
		for len(cells) < len(names) {
			cells = append(cells, "")
		}
		if err := row(line, cells); err != nil {
			return err
		}
	}
	if err := rows.Error(); err != nil {
		return fmt.Errorf("%s: sheet %q: %w", name, sheet, err)
	}
	if names == nil {
		return fmt.Errorf("%s: sheet %q: line 1: empty sheet, want a header row", name, sheet)
	}
	return nil
}

// ctxReader stops reading when ctx ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// xlsxSheetWriter streams rows into one worksheet of a new workbook.
type xlsxSheetWriter struct {
	f   *excelize.File
	sw  *excelize.StreamWriter
	row int
	buf []any
}

// newXLSXSheetWriter starts a workbook with one sheet named sheet ("Sheet1"
// when empty).
func newXLSXSheetWriter(sheet string) (*xlsxSheetWriter, error) {
	f := excelize.NewFile()
	if sheet != "" && sheet != "Sheet1" {
		if err := f.SetSheetName("Sheet1", sheet); err != nil {
			return nil, fmt.Errorf("xlsx sheet %q: %w", sheet, err)
		}
	} else {
		sheet = "Sheet1"
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, fmt.Errorf("xlsx sheet %q: %w", sheet, err)
	}
	return &xlsxSheetWriter{f: f, sw: sw}, nil
}

// WriteRow appends one row of text cells.
func (x *xlsxSheetWriter) WriteRow(cells []string) error {
	if x.row >= xlsxMaxRows {
		return fmt.Errorf("xlsx: more than %d rows do not fit in a worksheet", xlsxMaxRows)
	}
	x.row++
	x.buf = x.buf[:0]
	for _, c := range cells {
		x.buf = append(x.buf, c)
	}
	cell, err := excelize.CoordinatesToCellName(1, x.row)
	if err != nil {
		return fmt.Errorf("xlsx row %d: %w", x.row, err)
	}
	if err := x.sw.SetRow(cell, x.buf); err != nil {
		return fmt.Errorf("xlsx row %d: %w", x.row, err)
	}
	return nil
}

// Close finishes the workbook and writes it to w.
func (x *xlsxSheetWriter) Close(w io.Writer) error {
	defer x.f.Close()
	if err := x.sw.Flush(); err != nil {
		return fmt.Errorf("xlsx flush: %w", err)
	}
	if _, err := x.f.WriteTo(w); err != nil {
		return fmt.Errorf("xlsx write: %w", err)
	}
	return nil
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
