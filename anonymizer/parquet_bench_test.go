package anonymizer

import (
	"bytes"
	"testing"
)

// BenchmarkReadParquet reads the 200,000-row synthetic table from Parquet
// (as gen writes it: the repeating columns dictionary-encoded); compare
// BenchmarkReadTable_CSV, the same table from CSV. MB/s and MB/cpu-s count
// the bytes of the table's CSV, so that the two compare directly.
func BenchmarkReadParquet(b *testing.B) {
	var buf, csv bytes.Buffer
	if err := Synthesize(&buf, 200000, 1, FormatParquet); err != nil {
		b.Fatal(err)
	}
	if err := Synthesize(&csv, 200000, 1, FormatCSV); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(csv.Len()))
	b.ReportAllocs()
	cpu := startCPU()
	for b.Loop() {
		if _, err := ReadParquet(bytes.NewReader(data), int64(len(data)), "bench.parquet", ReadOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	cpu.report(b, int64(csv.Len()))
}

// BenchmarkWriteParquet writes the 200,000-row table as Parquet.
func BenchmarkWriteParquet(b *testing.B) {
	t := SynthesizeTable(200000, 1)
	b.ReportAllocs()
	for b.Loop() {
		var buf bytes.Buffer
		if err := WriteTable(&buf, t, FormatParquet, WriteOptions{}); err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(buf.Len()))
	}
}
