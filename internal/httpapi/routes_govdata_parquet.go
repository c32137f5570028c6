package httpapi

import (
	"bytes"
	"reflect"
	"strconv"

	"github.com/parquet-go/parquet-go"
	"github.com/shujiao/shujiao/market/govdata"
)

// parquetMediaType is the media type IANA registered for Parquet.
const parquetMediaType = "application/vnd.apache.parquet"

// parquetColumns is a flat Parquet group whose columns keep the order of
// the resource's fields (parquet.Group orders them by name), so a Parquet
// reader sees the columns of the CSV in the CSV's order.
type parquetColumns struct {
	parquet.Group
	fields []parquet.Field
}

func (g parquetColumns) Fields() []parquet.Field { return g.fields }

// parquetColumn is one optional UTF-8 string column of parquetColumns.
type parquetColumn struct {
	parquet.Node
	name string
}

func (c parquetColumn) Name() string { return c.name }

func (c parquetColumn) Value(base reflect.Value) reflect.Value {
	return base.MapIndex(reflect.ValueOf(c.name))
}

// encodeParquet writes d as a Parquet file of one row group: one optional
// UTF-8 string column per field, in the fields' order, named as in the CSV
// header; an empty cell is written as a null (the CSV cannot tell the two
// apart, and Parquet readers such as pandas and DuckDB read an empty CSV
// cell as a null too). The resource code and data version are in the
// file's key/value metadata.
func encodeParquet(code string, d *govdata.Data) ([]byte, error) {
	g := parquetColumns{Group: parquet.Group{}}
	for _, col := range d.Columns {
		n := parquet.Optional(parquet.String())
		g.Group[col] = n
		g.fields = append(g.fields, parquetColumn{Node: n, name: col})
	}
	var buf bytes.Buffer
	w := parquet.NewWriter(&buf, parquet.NewSchema(code, g),
		parquet.KeyValueMetadata("shujiao.resource", code),
		parquet.KeyValueMetadata("shujiao.version", strconv.Itoa(d.Version)))
	rows := make([]parquet.Row, len(d.Rows))
	for i, cells := range d.Rows {
		row := make(parquet.Row, len(cells))
		for j, cell := range cells {
			if cell == "" {
				row[j] = parquet.NullValue().Level(0, 0, j)
			} else {
				row[j] = parquet.ByteArrayValue([]byte(cell)).Level(0, 1, j)
			}
		}
		rows[i] = row
	}
	if _, err := w.WriteRows(rows); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
