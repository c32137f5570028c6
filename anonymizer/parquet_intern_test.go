package anonymizer

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
)

// TestReadParquet_IdentifiersAcrossRowGroupsGetTheCSVCodes reads a file
// whose row groups are large enough for a column of identifiers to keep
// its chunks' buffers as its texts and for the hash tables to grow, with
// identifiers that come back in a later row group, and compares every
// column's codes and texts with the CSV read of the same rows.
func TestReadParquet_IdentifiersAcrossRowGroupsGetTheCSVCodes(t *testing.T) {
	type rec struct {
		ID    string  `parquet:"id"`
		Name  string  `parquet:"name"`
		Grade string  `parquet:"grade,dict"`
		Note  *string `parquet:"note,optional"`
	}
	const rows = 30000
	in := make([]rec, rows)
	var csv strings.Builder
	csv.WriteString("id,name,grade,note\n")
	for i := range in {
		id := fmt.Sprintf("61%016d", i*7919%rows)
		if i%5000 == 4999 {
			id = in[i/3].ID // seen in an earlier row group
		}
		in[i] = rec{ID: id, Name: fmt.Sprintf("名%d", i*31%1700), Grade: []string{"甲", "乙", "丙"}[i%3]}
		note := ""
		if i%4 != 0 {
			note = fmt.Sprintf("n%d", i%9)
			in[i].Note = &note
		}
		fmt.Fprintf(&csv, "%s,%s,%s,%s\n", in[i].ID, in[i].Name, in[i].Grade, note)
	}
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[rec](&buf, parquet.MaxRowsPerRowGroup(6000), parquet.PageBufferSize(16<<10))
	if _, err := w.Write(in); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	got, err := ReadParquet(bytes.NewReader(buf.Bytes()), int64(buf.Len()), "ids.parquet", ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want, _, err := ReadTable(strings.NewReader(csv.String()), "ids.csv", ReadOptions{Format: FormatCSV})
	if err != nil {
		t.Fatal(err)
	}
	if got.Rows() != rows || want.Rows() != rows {
		t.Fatalf("Parquet %d rows, CSV %d, want %d", got.Rows(), want.Rows(), rows)
	}
	for i, c := range want.Columns {
		g := got.Columns[i]
		if !reflect.DeepEqual(g.Dict, c.Dict) {
			t.Errorf("column %q: %d texts, CSV %d, or not in the same order", c.Name, len(g.Dict), len(c.Dict))
		}
		if !reflect.DeepEqual(g.Codes, c.Codes) {
			t.Errorf("column %q: codes differ from the CSV read", c.Name)
		}
	}
}
