package anonymizer

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// WriteOptions control how a table is written.
type WriteOptions struct {
	// Delimiter of CSV output; 0 means ',' (TSV is always TAB).
	Delimiter rune
	// Sheet names the XLSX worksheet; "" means "Sheet1".
	Sheet string
}

// WriteTable writes t to w in format f, always as UTF-8 (no BOM): CSV/TSV
// with a header line, fields quoted when needed and LF line ends; JSON Lines
// with every value a string; XLSX with one sheet of text cells; Parquet
// with one required string column per column (see writeParquet). It returns
// the first write error. It is safe for concurrent use with readers of t.
func WriteTable(w io.Writer, t *Table, f Format, opt WriteOptions) error {
	switch f {
	case FormatCSV, FormatTSV, "":
		delim := opt.Delimiter
		if f == FormatTSV {
			delim = '\t'
		} else if delim == 0 {
			delim = ','
		}
		return writeDelimited(w, t, delim)
	case FormatJSONL:
		return writeJSONL(w, t)
	case FormatXLSX:
		return writeXLSX(w, t, opt.Sheet)
	case FormatParquet:
		return writeParquet(w, t)
	}
	return fmt.Errorf("write table: unknown format %q (want csv, tsv, jsonl, xlsx or parquet)", f)
}

// WriteFileAtomic writes t to path: into a temporary file in the same
// directory, synced to disk, then renamed over path. A failed write removes
// the temporary file and leaves path untouched (Issue 3: a failed run never
// leaves a partial output).
func WriteFileAtomic(path string, t *Table, f Format, opt WriteOptions) error {
	return writeFileAtomic(path, func(w io.Writer) error { return WriteTable(w, t, f, opt) })
}

// writeFileAtomic runs write against a buffered temporary file next to path
// and renames it to path when write, flush, sync and close all succeed.
func writeFileAtomic(path string, write func(io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	bw := &passWriter{buf: bufio.NewWriterSize(tmp, 1<<20), file: tmp}
	if err = write(bw); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = bw.buf.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: sync: %w", path, err)
	}
	if err = tmp.Chmod(0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("write %s: close: %w", path, err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: rename: %w", path, err)
	}
	if d, derr := os.Open(dir); derr == nil {
		d.Sync() // make the rename durable; best effort
		d.Close()
	}
	return nil
}

// passWriter buffers small writes (a header line, the lines of JSON
// Lines) and hands large ones (the CSV writer's blocks of rendered rows)
// straight to the file after what is buffered: one system call per
// block, and the bytes are not copied through the buffer first.
type passWriter struct {
	buf  *bufio.Writer
	file io.Writer
}

func (w *passWriter) Write(p []byte) (int, error) {
	if len(p) < w.buf.Size()/2 {
		return w.buf.Write(p)
	}
	if err := w.buf.Flush(); err != nil {
		return 0, err
	}
	return w.file.Write(p)
}

func writeXLSX(w io.Writer, t *Table, sheet string) error {
	if t.Rows()+1 > xlsxMaxRows {
		return fmt.Errorf("write xlsx: %d rows do not fit in a worksheet (at most %d)", t.Rows(), xlsxMaxRows-1)
	}
	x, err := newXLSXSheetWriter(sheet)
	if err != nil {
		return err
	}
	if err := x.WriteRow(t.Header()); err != nil {
		return err
	}
	row := make([]string, len(t.Columns))
	for r := 0; r < t.Rows(); r++ {
		for c, col := range t.Columns {
			row[c] = col.Value(r)
		}
		if err := x.WriteRow(row); err != nil {
			return err
		}
	}
	return x.Close(w)
}
