package anonymizer

import (
	"bytes"
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
)

func TestReadParquet_TypedColumnsReadAsTheirCSVText(t *testing.T) {
	type rec struct {
		Name   *string `parquet:"name,optional,dict"`
		Age    int64   `parquet:"age"`
		Income float64 `parquet:"income"`
		Score  float32 `parquet:"score"`
		Born   int32   `parquet:"born,date"`
		Member bool    `parquet:"member"`
	}
	li, wang := "李雷", "王芳"
	in := []rec{
		{&li, 34, 35600, 0.5, 3652, true},
		{nil, 7, 1234567.25, 2, 0, false},
		{&wang, -1, 1e21, 0.1, -1, true},
		{&li, 0, 0.000001, 1e-7, 19000, false},
	}
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[rec](&buf, parquet.MaxRowsPerRowGroup(3))
	if _, err := w.Write(in); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	tab, err := ReadParquet(bytes.NewReader(buf.Bytes()), int64(buf.Len()), "typed.parquet", ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := tab.Header(), []string{"name", "age", "income", "score", "born", "member"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("header %q, want %q", got, want)
	}
	want := [][]string{
		{"李雷", "34", "35600", "0.5", "1980-01-01", "true"},
		{"", "7", "1234567.25", "2", "1970-01-01", "false"},
		{"王芳", "-1", "1e+21", "0.1", "1969-12-31", "true"},
		{"李雷", "0", "0.000001", "1e-07", "2022-01-08", "false"},
	}
	if tab.Rows() != len(want) {
		t.Fatalf("%d rows, want %d", tab.Rows(), len(want))
	}
	for r := range want {
		if got := tab.Row(r); !reflect.DeepEqual(got, want[r]) {
			t.Errorf("row %d: %q, want %q", r, got, want[r])
		}
	}
	if got := len(tab.Column("name").Dict); got != 3 {
		t.Errorf("name has %d distinct values, want 3 (李雷 once, across both row groups)", got)
	}
}

func TestParquet_WrittenTableReadsBackUnchangedInColumnOrder(t *testing.T) {
	src := SynthesizeTable(5000, 11)
	src.Columns[7].Dict[0] = "" // an empty value stays empty, not null
	dir := t.TempDir()
	p := filepath.Join(dir, "pop.parquet")
	if err := WriteFileAtomic(p, src, FormatParquet, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	got, f, err := ReadFile(p, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if f != FormatParquet {
		t.Errorf("read as %q, want parquet", f)
	}
	var a, b bytes.Buffer
	if err := WriteTable(&a, src, FormatCSV, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := WriteTable(&b, got, FormatCSV, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("the table read back from Parquet differs from the one written")
	}
	// Sniffed without an extension, and chosen by --format.
	noExt := filepath.Join(dir, "pop.bin")
	if err := os.Rename(p, noExt); err != nil {
		t.Fatal(err)
	}
	if _, f, err := ReadFile(noExt, ReadOptions{}); err != nil || f != FormatParquet {
		t.Errorf("sniffed: format %q, err %v; want parquet", f, err)
	}
	if _, f, err := ReadFile(noExt, ReadOptions{Format: FormatParquet}); err != nil || f != FormatParquet {
		t.Errorf("given: format %q, err %v; want parquet", f, err)
	}
}

func TestReadParquet_DamagedFileIsAnErrorNamingIt(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteTable(&buf, SynthesizeTable(200, 1), FormatParquet, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	cases := map[string][]byte{
		"not parquet":     []byte("身份证号,姓名\n1,2\n"),
		"cut short":       buf.Bytes()[:buf.Len()/2],
		"pages scrambled": append(append(append([]byte{}, buf.Bytes()[:4]...), bytes.Repeat([]byte{0x5a}, buf.Len()/2)...), buf.Bytes()[4+buf.Len()/2:]...),
	}
	for name, b := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := ReadParquet(bytes.NewReader(b), int64(len(b)), "x.parquet", ReadOptions{})
			if err == nil || !strings.Contains(err.Error(), "x.parquet") {
				t.Fatalf("err %v, want an error naming x.parquet", err)
			}
		})
	}
}

func TestAppendDecimal_WritesTheScale(t *testing.T) {
	cases := []struct {
		unscaled int64
		scale    int
		want     string
	}{{1250, 2, "12.50"}, {-5, 3, "-0.005"}, {7, 0, "7"}, {12, -2, "1200"}}
	for _, c := range cases {
		if got := string(appendDecimal(nil, big.NewInt(c.unscaled), c.scale)); got != c.want {
			t.Errorf("%d scale %d: %q, want %q", c.unscaled, c.scale, got, c.want)
		}
	}
	if got := twosComplement([]byte{0xff, 0x38}).Int64(); got != -200 {
		t.Errorf("two's complement ff38 = %d, want -200", got)
	}
}

func TestSynthesize_ParquetHoldsTheSameTableAsCSV(t *testing.T) {
	var pq bytes.Buffer
	if err := Synthesize(&pq, 3000, 9, FormatParquet); err != nil {
		t.Fatal(err)
	}
	got, err := ReadParquet(bytes.NewReader(pq.Bytes()), int64(pq.Len()), "gen.parquet", ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var a, b bytes.Buffer
	if err := Synthesize(&a, 3000, 9, FormatCSV); err != nil {
		t.Fatal(err)
	}
	if err := WriteTable(&b, got, FormatCSV, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("the generated Parquet table differs from the generated CSV table")
	}
}
