package anonymizer

import (
	"fmt"
	"sync"
)

// Table is a dictionary-encoded table: each column holds its distinct values
// once (Dict) and one integer code per row (Codes), so that generalization is
// a lookup and equivalence classes are counted over small integers.
//
// A Table is not safe for concurrent mutation; concurrent reads are safe.
type Table struct {
	// Source names where the table came from (a file path), for error messages.
	Source string
	// Columns in input order.
	Columns []*Column
	// Lines holds the 1-based source line of each row when the reader knows it
	// (nil otherwise), so that errors found later can name the line. A
	// table read from a file whose rows are one line each keeps only the
	// first row's line (lineBase) instead after CompactLines.
	Lines    []int
	lineBase int
	rows     int
	// skip names the columns read without keeping their values (ReadOptions.Skip).
	skip map[string]bool
	// spill, when set, holds the codes of t and of the tables derived from
	// it in memory-mapped files (Spill.Table).
	spill *Spill
}

// Column is one dictionary-encoded column of a Table.
type Column struct {
	Name  string
	Dict  []string // code -> value (distinct values, but in a Carried column)
	Codes []int32  // row -> code
	// index maps a value to its code while the column grows. A column of
	// many distinct values gives it up once read (dropIndexes) and Code
	// rebuilds it on first use: for a column of ten million identifiers it
	// is a third of a gigabyte that the search never needs.
	index     map[string]int32
	indexOnce sync.Once
	// skipped columns were read (field counts and decoding checked) without
	// keeping their values: see ReadOptions.Skip.
	skipped bool
	// carried columns may hold a value in Dict more than once: see
	// ReadOptions.Carry.
	carried bool
}

// NewTable returns an empty table with the given column names.
// It returns an error when a name is empty or repeated.
func NewTable(source string, header []string) (*Table, error) {
	return newTable(source, header, nil)
}

// newTable is NewTable whose columns named in skip keep no values.
func newTable(source string, header []string, skip map[string]bool) (*Table, error) {
	t := &Table{Source: source, skip: skip}
	seen := make(map[string]bool, len(header))
	for i, h := range header {
		if h == "" {
			return nil, fmt.Errorf("%s: line 1: column %d: empty column name", source, i+1)
		}
		if seen[h] {
			return nil, fmt.Errorf("%s: line 1: column %q: repeated column name", source, h)
		}
		seen[h] = true
		t.Columns = append(t.Columns, t.newColumn(h))
	}
	return t, nil
}

// newColumn returns an empty column named name, skipped when t says so.
func (t *Table) newColumn(name string) *Column {
	if t.skip[name] {
		return &Column{Name: name, skipped: true}
	}
	return &Column{Name: name, index: make(map[string]int32)}
}

// MustTable builds a table from a header and rows; it panics on bad input.
// It is meant for tests and examples.
func MustTable(header []string, rows ...[]string) *Table {
	t, err := NewTable("table", header)
	if err != nil {
		panic(err)
	}
	for _, r := range rows {
		if err := t.AppendRow(r, 0); err != nil {
			panic(err)
		}
	}
	return t
}

// Rows returns the number of rows.
func (t *Table) Rows() int { return t.rows }

// raggedRow is the error for a row of got fields under header: it names
// the first column the row lacks, or the first field it has too many.
func raggedRow(source string, line, got int, header []string) error {
	if got < len(header) {
		return fmt.Errorf("%s: line %d: column %d (%q): missing: %d fields, want %d", source, line, got+1, header[got], got, len(header))
	}
	return fmt.Errorf("%s: line %d: column %d: a field beyond the header: %d fields, want %d", source, line, len(header)+1, got, len(header))
}

// AppendRow appends one row. line is the row's 1-based source line (0 if
// unknown). It returns an error when the row has the wrong number of fields.
func (t *Table) AppendRow(values []string, line int) error {
	if len(values) != len(t.Columns) {
		return raggedRow(t.Source, line, len(values), t.Header())
	}
	for i, v := range values {
		t.Columns[i].append(v)
	}
	if t.lineBase > 0 {
		t.expandLines()
	}
	if line > 0 || t.Lines != nil {
		if t.Lines == nil {
			t.Lines = make([]int, t.rows, t.rows+1)
		}
		t.Lines = append(t.Lines, line)
	}
	t.rows++
	return nil
}

// Line returns the source line of row r, or 0 when unknown.
func (t *Table) Line(r int) int {
	if r < len(t.Lines) {
		return t.Lines[r]
	}
	if t.lineBase > 0 && r < t.rows {
		return t.lineBase + r
	}
	return 0
}

// CompactLines gives up Lines when each row is one line after the one
// before it (no quoted line breaks, no blank lines): Line computes them
// then, and Lines is nil. Eight bytes a row: 400 MB on 50 M rows. Not safe
// for concurrent use.
func (t *Table) CompactLines() {
	if len(t.Lines) != t.rows || t.rows == 0 || t.Lines[0] <= 0 {
		return
	}
	base := t.Lines[0]
	for r, l := range t.Lines {
		if l != base+r {
			return
		}
	}
	t.Lines, t.lineBase = nil, base
}

// expandLines undoes CompactLines (before a row is appended).
func (t *Table) expandLines() {
	t.Lines = make([]int, t.rows)
	for r := range t.Lines {
		t.Lines[r] = t.lineBase + r
	}
	t.lineBase = 0
}

// ColumnIndex returns the index of the named column, or -1.
func (t *Table) ColumnIndex(name string) int {
	for i, c := range t.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// Column returns the named column, or nil.
func (t *Table) Column(name string) *Column {
	if i := t.ColumnIndex(name); i >= 0 {
		return t.Columns[i]
	}
	return nil
}

// Header returns the column names.
func (t *Table) Header() []string {
	h := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		h[i] = c.Name
	}
	return h
}

// Value returns the value at row r of column c ("" in a skipped column).
func (t *Table) Value(r, c int) string {
	return t.Columns[c].Value(r)
}

// Row returns the values of row r.
func (t *Table) Row(r int) []string {
	out := make([]string, len(t.Columns))
	for i := range t.Columns {
		out[i] = t.Value(r, i)
	}
	return out
}

func (c *Column) append(v string) {
	if c.skipped {
		return
	}
	c.ensureIndex()
	code, ok := c.index[v]
	if !ok {
		code = int32(len(c.Dict))
		c.Dict = append(c.Dict, v)
		c.index[v] = code
	}
	c.Codes = append(c.Codes, code)
}

// Code returns the dictionary code of v and whether v occurs in the column.
// It is safe for concurrent use with other reads of the column.
func (c *Column) Code(v string) (int32, bool) {
	c.ensureIndex()
	code, ok := c.index[v]
	return code, ok
}

// Value returns the value of row r ("" in a skipped column).
func (c *Column) Value(r int) string {
	if c.skipped {
		return ""
	}
	return c.Dict[c.Codes[r]]
}

// Skipped reports whether the column was read without keeping its values
// (ReadOptions.Skip): it has a name and no Dict or Codes.
func (c *Column) Skipped() bool { return c.skipped }

// Carried reports whether the column was read as ReadOptions.Carry says:
// its Dict may hold a value more than once (each with its own code), so
// that its length is not the number of distinct values.
func (c *Column) Carried() bool { return c.carried }

// ensureIndex builds the value → code index when the column has none.
func (c *Column) ensureIndex() {
	c.indexOnce.Do(func() {
		if c.index != nil {
			return
		}
		c.index = make(map[string]int32, len(c.Dict))
		for i, v := range c.Dict {
			if _, dup := c.index[v]; !dup {
				c.index[v] = int32(i)
			}
		}
	})
}

// dropIndexAbove is the dictionary size from which a column read from a
// file gives up its index: smaller indexes cost little and spare a rebuild.
const dropIndexAbove = 1 << 16

// dropIndexes gives up the indexes of the columns with more than
// dropIndexAbove distinct values, once the table is read; Code rebuilds
// one on first use. Not safe for concurrent use.
func (t *Table) dropIndexes() {
	for _, c := range t.Columns {
		if len(c.Dict) > dropIndexAbove {
			c.index, c.indexOnce = nil, sync.Once{}
		}
	}
}
