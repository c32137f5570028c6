package trace

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/parquet-go/parquet-go"
	"github.com/shujiao/shujiao/anonymizer"
)

// parquetMagic begins and ends every Parquet file.
var parquetMagic = []byte("PAR1")

// isParquet reports whether a leak is a Parquet file, by its name or its
// first bytes.
func isParquet(l Leak) bool {
	return strings.EqualFold(filepath.Ext(l.Name), ".parquet") || bytes.HasPrefix(l.Data, parquetMagic)
}

// readParquet reads a flat Parquet file as a table: one column per leaf
// (a nested leaf is named by its path joined with "."), every value as its
// string (numbers in decimal), a null as "".
func readParquet(l Leak) (*anonymizer.Table, error) {
	f, err := parquet.OpenFile(bytes.NewReader(l.Data), int64(len(l.Data)))
	if err != nil {
		return nil, fmt.Errorf("%s: not a readable Parquet file: %w", l.Name, err)
	}
	var header []string
	for _, path := range f.Schema().Columns() {
		header = append(header, strings.Join(path, "."))
	}
	t, err := anonymizer.NewTable(l.Name, header)
	if err != nil {
		return nil, err
	}
	r := parquet.NewReader(bytes.NewReader(l.Data))
	defer r.Close()
	rows := make([]parquet.Row, 512)
	for {
		n, err := r.ReadRows(rows)
		for _, row := range rows[:n] {
			vals := make([]string, len(header))
			for _, v := range row {
				if c := v.Column(); c >= 0 && c < len(vals) && !v.IsNull() {
					vals[c] = v.String()
				}
			}
			if err := t.AppendRow(vals, 0); err != nil {
				return nil, err
			}
		}
		if errors.Is(err, io.EOF) {
			return t, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: row %d: %w", l.Name, t.Rows()+1, err)
		}
	}
}

// readLeak reads a leaked file as a table: Parquet, or what the
// anonymizer's readers take (CSV/TSV, XLSX, JSON Lines; UTF-8 or GB18030).
func readLeak(l Leak) (*anonymizer.Table, string, error) {
	if isParquet(l) {
		t, err := readParquet(l)
		return t, "parquet", err
	}
	t, f, err := anonymizer.ReadTable(bytes.NewReader(l.Data), l.Name, anonymizer.ReadOptions{})
	return t, string(f), err
}
