package anonymizer

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// FuzzReadParquet feeds damaged Parquet files to the reader and the
// profiler. Invariants: no panic; either an error naming the input, or a
// table whose every column has one code per row, which the profiler
// counts the same.
func FuzzReadParquet(f *testing.F) {
	for _, rows := range []int{0, 1, 40} {
		var b bytes.Buffer
		if err := WriteTable(&b, SynthesizeTable(rows, 1), FormatParquet, WriteOptions{}); err != nil {
			f.Fatal(err)
		}
		f.Add(b.Bytes())
	}
	f.Add([]byte("PAR1PAR1"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tab, err := ReadParquet(bytes.NewReader(data), int64(len(data)), "fuzz.parquet", ReadOptions{})
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz.parquet") {
				t.Fatalf("error does not name the input: %v", err)
			}
			return
		}
		for _, c := range tab.Columns {
			if len(c.Codes) != tab.Rows() {
				t.Fatalf("column %q: %d codes for %d rows", c.Name, len(c.Codes), tab.Rows())
			}
		}
		p, err := ProfileTable(context.Background(), bytes.NewReader(data), "fuzz.parquet", ProfileOptions{})
		if err == nil && p.Rows != int64(tab.Rows()) {
			t.Fatalf("profile counts %d rows, the reader %d", p.Rows, tab.Rows())
		}
	})
}
