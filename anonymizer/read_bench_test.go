package anonymizer

import (
	"bufio"
	"bytes"
	"io"
	"testing"
)

// BenchmarkReadTable_CSV measures CSV reading (decode, split, dictionary
// encoding) of the synthetic population table; b.SetBytes makes go test
// print MB/s.
func BenchmarkReadTable_CSV(b *testing.B) {
	var buf bytes.Buffer
	if err := Synthesize(&buf, 200000, 1, FormatCSV); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	bytesPerOp := int64(len(data))
	b.SetBytes(bytesPerOp)
	b.ReportAllocs()
	cpu := startCPU()
	for b.Loop() {
		if _, _, err := readTable(bytes.NewReader(data), "bench.csv", int64(len(data)), ReadOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	cpu.report(b, bytesPerOp)
}

// BenchmarkWriteTable_CSV measures CSV writing of a 200,000-row table.
func BenchmarkWriteTable_CSV(b *testing.B) {
	t := SynthesizeTable(200000, 1)
	var buf bytes.Buffer
	WriteTable(&buf, t, FormatCSV, WriteOptions{})
	bytesPerOp := int64(buf.Len())
	b.SetBytes(bytesPerOp)
	b.ReportAllocs()
	cpu := startCPU()
	for b.Loop() {
		if err := WriteTable(io.Discard, t, FormatCSV, WriteOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	cpu.report(b, bytesPerOp)
}

// BenchmarkSynthesize_CSV measures the generator.
func BenchmarkSynthesize_CSV(b *testing.B) {
	var n countingWriter
	Synthesize(&n, 100000, 1, FormatCSV)
	bytesPerOp := int64(n)
	b.SetBytes(bytesPerOp)
	cpu := startCPU()
	for b.Loop() {
		if err := Synthesize(io.Discard, 100000, 1, FormatCSV); err != nil {
			b.Fatal(err)
		}
	}
	cpu.report(b, bytesPerOp)
}

type countingWriter int64

func (c *countingWriter) Write(p []byte) (int, error) {
	*c += countingWriter(len(p))
	return len(p), nil
}

// BenchmarkReadTable_JSONL measures JSON Lines reading of the same table.
func BenchmarkReadTable_JSONL(b *testing.B) {
	var buf bytes.Buffer
	if err := Synthesize(&buf, 100000, 1, FormatJSONL); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	bytesPerOp := int64(len(data))
	b.SetBytes(bytesPerOp)
	b.ReportAllocs()
	cpu := startCPU()
	for b.Loop() {
		if _, _, err := readTable(bytes.NewReader(data), "bench.jsonl", int64(len(data)), ReadOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	cpu.report(b, bytesPerOp)
}

// BenchmarkReadVsBareCSV reads the same generated table three ways in one
// run: a bare encoding/csv pass (ReuseRecord, records discarded), the
// table reader through encoding/csv, and the parallel table reader; the
// issue's target is parallel ≤ 1.5 × bare.
func BenchmarkReadVsBareCSV(b *testing.B) {
	var buf bytes.Buffer
	if err := Synthesize(&buf, 200000, 1, FormatCSV); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.Run("bare-encoding-csv", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if err := bareCSV(bytes.NewReader(data)); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, tc := range []struct {
		name  string
		block int
	}{{"table-encoding-csv", 0}, {"table-parallel", readBlockSize}} {
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := readDelimitedBy(bufio.NewReaderSize(bytes.NewReader(data), 1<<20), "bench.csv", 0, int64(len(data)), nil, nil, tc.block); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
