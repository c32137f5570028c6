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
	g := parquetSchema{Group: parquet.Group{}}
	for _, c := range t.Columns {
		n := parquet.String()
		if len(c.Dict) <= 1<<20 && 2*len(c.Dict) <= t.Rows() {
			n = parquet.Encoded(n, &parquet.RLEDictionary)
		}
		g.Group[c.Name] = n
		g.fields = append(g.fields, parquetField{Node: n, name: c.Name})
	}
	pw := parquet.NewWriter(w, parquet.NewSchema("table", g),
		parquet.Compression(&parquet.Snappy),
		parquet.MaxRowsPerRowGroup(parquetRowGroupRows),
		parquet.CreatedBy("shujiao", "", ""))
	const batch = 1024
	rows := make([]parquet.Row, batch)
	cells := make([]parquet.Value, batch*len(t.Columns))
	for r0 := 0; r0 < t.Rows(); r0 += batch {
		n := min(batch, t.Rows()-r0)
		for i := range n {
			row := cells[i*len(t.Columns) : (i+1)*len(t.Columns)]
			for c, col := range t.Columns {
				row[c] = parquet.ByteArrayValue(unsafeBytes(col.Value(r0+i))).Level(0, 0, c)
			}
			rows[i] = row
		}
		if _, err := pw.WriteRows(rows[:n]); err != nil {
			return fmt.Errorf("write parquet: row %d: %w", r0+1, err)
		}
	}
	if err := pw.Close(); err != nil {
		return fmt.Errorf("write parquet: %w", err)
	}
	return nil
}

// unsafeBytes views s as bytes without copying; the writer only reads them.
func unsafeBytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }
