package anonymizer

import (
	"runtime"
	"strings"
	"sync"
	"unicode/utf8"
)

// readBatchRows is how many records are parsed before they are added to the
// table's columns.
const readBatchRows = 4096

// recordBatch holds parsed records waiting to be dictionary-encoded, their
// fields in one flat slice (record r, column c at r*cols+c) that is reused
// from batch to batch: a batch allocates nothing of its own.
type recordBatch struct {
	fields []string
	cols   int
	lines  []int
}

func (b *recordBatch) rows() int { return len(b.lines) }

// add copies the fields of rec (which the CSV reader reuses) into the batch.
func (b *recordBatch) add(rec []string, line int) {
	b.fields = append(b.fields, rec...)
	b.lines = append(b.lines, line)
}

func (b *recordBatch) reset() {
	clear(b.fields) // drop references to the records' text
	b.fields, b.lines = b.fields[:0], b.lines[:0]
}

// fieldError locates an undecodable value in a batch.
type fieldError struct{ row, col int }

// internBatch dictionary-encodes a batch of records into t. Columns are
// independent, so they are split among up to GOMAXPROCS goroutines, each
// owning its columns' dictionaries: on two cores reading takes about half
// the wall time. A new value is validated (UTF-8, or no replacement
// character after GB18030 decoding) and copied, so that the table never
// keeps a record's buffer alive. On error it returns the first bad field in
// row order, and t must be discarded.
func internBatch(t *Table, b *recordBatch, decoded bool) (fieldError, bool) {
	if b.rows() == 0 {
		return fieldError{}, false
	}
	workers := min(runtime.GOMAXPROCS(0), len(t.Columns))
	errs := make([]fieldError, workers)
	bad := make([]bool, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			first := fieldError{row: b.rows()}
			for ci := w; ci < len(t.Columns); ci += workers {
				if r, ok := internColumn(t.Columns[ci], ci, b, decoded); !ok && r < first.row {
					first = fieldError{row: r, col: ci}
					bad[w] = true
				}
			}
			errs[w] = first
		}(w)
	}
	wg.Wait()
	var first fieldError
	found := false
	for w := range errs {
		if bad[w] && (!found || errs[w].row < first.row || errs[w].row == first.row && errs[w].col < first.col) {
			first, found = errs[w], true
		}
	}
	if found {
		return first, true
	}
	t.Lines = append(t.Lines, b.lines...)
	t.rows += b.rows()
	return fieldError{}, false
}

// internColumn appends the codes of field ci of every record to c. It stops
// at the first undecodable value and returns its row.
func internColumn(c *Column, ci int, b *recordBatch, decoded bool) (int, bool) {
	if c.skipped {
		for r := 0; r < b.rows(); r++ {
			if v := b.fields[r*b.cols+ci]; !utf8.ValidString(v) || (decoded && strings.ContainsRune(v, utf8.RuneError)) {
				return r, false
			}
		}
		return 0, true
	}
	for r := 0; r < b.rows(); r++ {
		v := b.fields[r*b.cols+ci]
		code, ok := c.index[v]
		if !ok {
			if !utf8.ValidString(v) || (decoded && strings.ContainsRune(v, utf8.RuneError)) {
				return r, false
			}
			v = strings.Clone(v)
			code = int32(len(c.Dict))
			c.Dict = append(c.Dict, v)
			c.index[v] = code
		}
		c.Codes = append(c.Codes, code)
	}
	return 0, true
}
