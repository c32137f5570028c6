package anonymizer

import (
	"bufio"
	"fmt"
	"io"
)

// Synthesize writes rows of the synthetic population table (see
// Synthesizer) generated from seed to w in format f, streaming: memory does
// not grow with rows. XLSX holds at most 1,048,575 rows. It returns the
// first write error.
func Synthesize(w io.Writer, rows int, seed int64, f Format) error {
	if rows < 0 {
		return fmt.Errorf("synthesize: rows %d, want 0 or more", rows)
	}
	s := NewSynthesizer(seed)
	switch f {
	case FormatCSV, FormatTSV, "":
		delim := byte(',')
		if f == FormatTSV {
			delim = '\t'
		}
		return synthesizeDelimited(w, s, rows, delim)
	case FormatJSONL:
		return synthesizeJSONL(w, s, rows)
	case FormatXLSX:
		return synthesizeXLSX(w, s, rows)
	case FormatParquet:
		return synthesizeParquet(w, s, rows)
	}
	return fmt.Errorf("synthesize: unknown format %q (want csv, tsv, jsonl, xlsx or parquet)", f)
}

// SynthesizeTable returns rows of the synthetic population table as a Table
// (for tests and examples; large tables should stream with Synthesize).
func SynthesizeTable(rows int, seed int64) *Table {
	s := NewSynthesizer(seed)
	t, _ := NewTable("synthetic", s.Header())
	row := make([]string, 0, len(SynthHeader))
	for i := 0; i < rows; i++ {
		row = s.Next(row)
		t.AppendRow(row, i+2)
	}
	return t
}

func synthesizeDelimited(w io.Writer, s *Synthesizer, rows int, delim byte) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	line := make([]byte, 0, 256)
	for i, h := range SynthHeader {
		if i > 0 {
			line = append(line, delim)
		}
		line = append(line, h...)
	}
	line = append(line, '\n')
	for i := 0; ; i++ {
		if _, err := bw.Write(line); err != nil {
			return fmt.Errorf("synthesize: %w", err)
		}
		if i == rows {
			break
		}
		line = s.appendCSV(line[:0], delim)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("synthesize: %w", err)
	}
	return nil
}

func synthesizeJSONL(w io.Writer, s *Synthesizer, rows int) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	keys := make([][]byte, len(SynthHeader))
	for i, h := range SynthHeader {
		keys[i] = append(appendJSONString(nil, h), ':')
	}
	line := make([]byte, 0, 512)
	for i := 0; i < rows; i++ {
		s.generate()
		line = append(line[:0], '{')
		for j := range s.fields {
			if j > 0 {
				line = append(line, ',')
			}
			line = append(line, keys[j]...)
			line = append(line, '"')
			line = append(line, s.fields[j]...) // generated values need no escaping
			line = append(line, '"')
		}
		line = append(line, '}', '\n')
		if _, err := bw.Write(line); err != nil {
			return fmt.Errorf("synthesize: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("synthesize: %w", err)
	}
	return nil
}

func synthesizeXLSX(w io.Writer, s *Synthesizer, rows int) error {
	if rows+1 > xlsxMaxRows {
		return fmt.Errorf("synthesize: %d rows do not fit in an XLSX worksheet (at most %d)", rows, xlsxMaxRows-1)
	}
	x, err := newXLSXSheetWriter("")
	if err != nil {
		return err
	}
	if err := x.WriteRow(SynthHeader); err != nil {
		return err
	}
	row := make([]string, 0, len(SynthHeader))
	for i := 0; i < rows; i++ {
		row = s.Next(row)
		if err := x.WriteRow(row); err != nil {
			return err
		}
	}
	return x.Close(w)
}

// SynthesizeFile writes the synthetic table to path atomically (a temporary
// file renamed on success; a failed run leaves nothing).
func SynthesizeFile(path string, rows int, seed int64, f Format) error {
	return writeFileAtomic(path, func(w io.Writer) error { return Synthesize(w, rows, seed, f) })
}

// synthesizeParquet streams the table as Parquet, the columns that repeat
// their values (all but the identity number, name and mobile number)
// dictionary-encoded.
func synthesizeParquet(w io.Writer, s *Synthesizer, rows int) error {
	dict := make([]bool, len(SynthHeader))
	for i, h := range SynthHeader {
		dict[i] = h != "身份证号" && h != "姓名" && h != "手机号"
	}
	pw := newParquetRowWriter(w, SynthHeader, dict)
	row := make([]string, 0, len(SynthHeader))
	for i := 0; i < rows; i++ {
		row = s.Next(row)
		if err := pw.WriteRow(row); err != nil {
			return err
		}
	}
	return pw.Close()
}
