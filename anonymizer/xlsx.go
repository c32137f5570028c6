package anonymizer

import (
	"fmt"
	"io"
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
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, fmt.Errorf("%s: line 1: workbook has no sheets", name)
	}
	if sheet == "" {
		sheet = sheets[0]
	} else if !containsString(sheets, sheet) {
		return nil, fmt.Errorf("%s: sheet %q: no such sheet (sheets: %s)", name, sheet, strings.Join(sheets, ", "))
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, fmt.Errorf("%s: sheet %q: %w", name, sheet, err)
	}
	defer rows.Close()
	var t *Table
	for line := 1; rows.Next(); line++ {
		cells, err := rows.Columns()
		if err != nil {
			return nil, fmt.Errorf("%s: sheet %q: line %d: %w", name, sheet, line, err)
		}
		for len(cells) > 0 && cells[len(cells)-1] == "" && (t == nil || len(cells) > len(t.Columns)) {
			cells = cells[:len(cells)-1]
		}
		if len(cells) == 0 {
			continue
		}
		if t == nil {
			for i := range cells {
				cells[i] = cleanName(cells[i])
			}
			if t, err = newTable(name, cells, skip); err != nil {
				return nil, fmt.Errorf("%s: sheet %q: line %d: %w", name, sheet, line, err)
			}
			continue
		}
		if len(cells) > len(t.Columns) {
			return nil, raggedRow(fmt.Sprintf("%s: sheet %q", name, sheet), line, len(cells), t.Header())
		}
		for len(cells) < len(t.Columns) {
			cells = append(cells, "")
		}
		if err := t.AppendRow(cells, line); err != nil {
			return nil, err
		}
	}
	if err := rows.Error(); err != nil {
		return nil, fmt.Errorf("%s: sheet %q: %w", name, sheet, err)
	}
	if t == nil {
		return nil, fmt.Errorf("%s: sheet %q: line 1: empty sheet, want a header row", name, sheet)
	}
	return t, nil
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
