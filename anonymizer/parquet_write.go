package anonymizer

import (
	"fmt"
	"io"
	"reflect"
	"unsafe"

	"github.com/parquet-go/parquet-go"
)

// parquetRowGroupRows is the most rows in one row group of a written
// Parquet file: the writer buffers a row group, so it bounds the memory of
// writing beside the table.
const parquetRowGroupRows = 1 << 20

// parquetSchema is a flat Parquet group whose columns keep the table's
// order (parquet.Group orders its fields by name).
type parquetSchema struct {
	parquet.Group
	fields []parquet.Field
}

func (g parquetSchema) Fields() []parquet.Field { return g.fields }

// parquetField is one column of parquetSchema.
type parquetField struct {
	parquet.Node
	name string
}

func (c parquetField) Name() string { return c.name }

func (c parquetField) Value(base reflect.Value) reflect.Value {
	return base.MapIndex(reflect.ValueOf(c.name))
}

// writeParquet writes t as a Parquet file: one required UTF-8 string
// column per table column, in order and with the same names, so that an
// empty value stays "" (not null) and the file reads back to the same
// table; columns that repeat their values are dictionary-encoded; pages
// are Snappy-compressed; row groups hold at most parquetRowGroupRows rows.
func writeParquet(w io.Writer, t *Table) error {
	dict := make([]bool, len(t.Columns))
	for i, c := range t.Columns {
		dict[i] = len(c.Dict) <= 1<<20 && 2*len(c.Dict) <= t.Rows()
	}
	pw := newParquetRowWriter(w, t.Header(), dict)
	row := make([]string, len(t.Columns))
	for r := range t.Rows() {
		for c, col := range t.Columns {
			row[c] = col.Value(r)
		}
		if err := pw.WriteRow(row); err != nil {
			return err
		}
	}
	return pw.Close()
}

// parquetRowWriter streams rows of text into a Parquet file of required
// string columns, in batches.
type parquetRowWriter struct {
	pw    *parquet.GenericWriter[any]
	cols  int
	rows  []parquet.Row
	cells []parquet.Value
	n     int
	// keep holds the batch's strings until it is written (the values
	// point into them).
	keep  []string
	total int
}

const parquetWriteBatch = 1024

// newParquetRowWriter starts a Parquet file of the named columns; dict[i]
// dictionary-encodes column i (nil: none).
func newParquetRowWriter(w io.Writer, header []string, dict []bool) *parquetRowWriter {
	g := parquetSchema{Group: parquet.Group{}}
	for i, name := range header {
		n := parquet.String()
		if i < len(dict) && dict[i] {
			n = parquet.Encoded(n, &parquet.RLEDictionary)
		}
		g.Group[name] = n
		g.fields = append(g.fields, parquetField{Node: n, name: name})
	}
	pw := parquet.NewGenericWriter[any](w, parquet.NewSchema("table", g),
		parquet.Compression(&parquet.Snappy),
		parquet.MaxRowsPerRowGroup(parquetRowGroupRows),
		parquet.CreatedBy("shujiao", "", ""))
	return &parquetRowWriter{pw: pw, cols: len(header), rows: make([]parquet.Row, parquetWriteBatch),
		cells: make([]parquet.Value, parquetWriteBatch*len(header)), keep: make([]string, parquetWriteBatch*len(header))}
}

// WriteRow adds one row (as many values as columns); the strings may be
// reused by the caller once it returns.
func (p *parquetRowWriter) WriteRow(values []string) error {
	if len(values) != p.cols {
		return fmt.Errorf("write parquet: row %d: %d values, want %d", p.total+p.n+1, len(values), p.cols)
	}
	row := p.cells[p.n*p.cols : (p.n+1)*p.cols]
	for c, v := range values {
		p.keep[p.n*p.cols+c] = v
		row[c] = parquet.ByteArrayValue(unsafeBytes(v)).Level(0, 0, c)
	}
	p.rows[p.n] = row
	p.n++
	if p.n == parquetWriteBatch {
		return p.flush()
	}
	return nil
}

func (p *parquetRowWriter) flush() error {
	if p.n == 0 {
		return nil
	}
	if _, err := p.pw.WriteRows(p.rows[:p.n]); err != nil {
		return fmt.Errorf("write parquet: row %d: %w", p.total+1, err)
	}
	p.total += p.n
	p.n = 0
	clear(p.keep)
	return nil
}

// Close writes the last rows and the footer.
func (p *parquetRowWriter) Close() error {
	if err := p.flush(); err != nil {
		return err
	}
	if err := p.pw.Close(); err != nil {
		return fmt.Errorf("write parquet: %w", err)
	}
	return nil
}

// unsafeBytes views s as bytes without copying; the writer only reads them.
func unsafeBytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }
