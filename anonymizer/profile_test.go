package anonymizer

import (
	"bytes"
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func mustCSV(tb testing.TB, t *Table, f Format) []byte {
	tb.Helper()
	var b bytes.Buffer
	if err := WriteTable(&b, t, f, WriteOptions{}); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

func TestProfileTable_SmallTablesAreSampledWholeInEveryFormat(t *testing.T) {
	src := SynthesizeTable(1500, 5)
	gbk, err := simplifiedchinese.GB18030.NewEncoder().Bytes(mustCSV(t, src, FormatCSV))
	if err != nil {
		t.Fatal(err)
	}
	inputs := []struct {
		name string
		data []byte
	}{
		{"t.csv", mustCSV(t, src, FormatCSV)},
		{"t.tsv", mustCSV(t, src, FormatTSV)},
		{"t.jsonl", mustCSV(t, src, FormatJSONL)},
		{"gbk.csv", gbk},
		{"t.parquet", mustCSV(t, src, FormatParquet)},
	}
	for _, in := range inputs {
		t.Run(in.name, func(t *testing.T) {
			p, err := ProfileTable(context.Background(), bytes.NewReader(in.data), in.name, ProfileOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if p.Rows != int64(src.Rows()) || !reflect.DeepEqual(p.Columns, src.Header()) {
				t.Fatalf("rows %d columns %q, want %d %q", p.Rows, p.Columns, src.Rows(), src.Header())
			}
			if !bytes.Equal(mustCSV(t, p.Sample, FormatCSV), mustCSV(t, src, FormatCSV)) {
				t.Error("the sample of a table smaller than the sample is not the table")
			}
		})
	}
}

func TestProfileTable_ALargeTableKeepsABoundedUniformSample(t *testing.T) {
	src := SynthesizeTable(30_000, 6)
	data := mustCSV(t, src, FormatCSV)
	p, err := ProfileTable(context.Background(), bytes.NewReader(data), "big.csv", ProfileOptions{SampleRows: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if p.Rows != 30_000 || p.Sample.Rows() != 1000 {
		t.Fatalf("rows %d, sample %d; want 30000 and 1000", p.Rows, p.Sample.Rows())
	}
	// Uniform: about a third of the sample from each third of the file.
	var thirds [3]int
	for r := range p.Sample.Rows() {
		thirds[(p.Sample.Line(r)-2)*3/30_000]++
	}
	for i, n := range thirds {
		if n < 250 || n > 420 {
			t.Errorf("third %d of the file gave %d of 1000 sampled rows: %v", i+1, n, thirds)
		}
	}
	small, err := ProfileTable(context.Background(), bytes.NewReader(data), "big.csv", ProfileOptions{SampleBytes: 64 << 10})
	if err != nil {
		t.Fatal(err)
	}
	if got := small.Sample.Rows(); got > 64<<10/100 {
		t.Errorf("a 64 KiB sample kept %d rows of about 150 bytes", got)
	}
}

func TestProfileTable_RefusesWhatReadTableRefusesWithTheSameError(t *testing.T) {
	cases := map[string]string{
		"ragged.csv":  "a,b,c\n1,2,3\n4,5\n",
		"beyond.csv":  "a,b\n1,2\n3,4,5\n",
		"bytes.csv":   "a,b\n1,2\n\xff\xfe\xfd,3\n",
		"quote.csv":   "a,b\n1,\"2\n",
		"dup.csv":     "a,a\n1,2\n",
		"empty.csv":   "",
		"bad.jsonl":   "{\"a\":1}\n{\"a\":}\n",
		"nested.json": "{\"a\":[1]}\n",
		"repeat.json": "{\"a\":1,\"a\":2}\n",
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			_, _, want := ReadTable(strings.NewReader(data), name, ReadOptions{})
			_, got := ProfileTable(context.Background(), strings.NewReader(data), name, ProfileOptions{})
			if want == nil || got == nil || got.Error() != want.Error() {
				t.Fatalf("profile: %v\nread:    %v", got, want)
			}
		})
	}
}

func TestProfileTable_StopsWhenTheContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	data := mustCSV(t, SynthesizeTable(10_000, 1), FormatCSV)
	if _, err := ProfileTable(ctx, bytes.NewReader(data), "t.csv", ProfileOptions{}); err != context.Canceled {
		t.Fatalf("err %v, want context.Canceled", err)
	}
}

// An upload's sample is evidence (the Art. 36 content scan reads it):
// with ProfileOptions.Unpredictable two profiles of the same file keep
// different rows, so that nobody can compute which rows a sample keeps
// and put what it must not see in the others; without it, the same rows.
func TestProfileTable_AnUnpredictableSampleDiffersFromRunToRun(t *testing.T) {
	data := mustCSV(t, SynthesizeTable(5_000, 3), FormatCSV)
	lines := func(opt ProfileOptions) []int {
		p, err := ProfileTable(context.Background(), bytes.NewReader(data), "big.csv", opt)
		if err != nil {
			t.Fatal(err)
		}
		out := make([]int, p.Sample.Rows())
		for r := range out {
			out[r] = p.Sample.Line(r)
		}
		return out
	}
	fixed := ProfileOptions{SampleRows: 500}
	if a, b := lines(fixed), lines(fixed); !slices.Equal(a, b) {
		t.Error("the default sample differs between two profiles of the same input")
	}
	open := ProfileOptions{SampleRows: 500, Unpredictable: true}
	a, b := lines(open), lines(open)
	if len(a) != 500 || len(b) != 500 {
		t.Fatalf("samples of %d and %d rows, want 500", len(a), len(b))
	}
	if slices.Equal(a, b) || slices.Equal(a, lines(fixed)) {
		t.Error("the unpredictable sample is the same from run to run, or the fixed one")
	}
}
