package anonymizer

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// readJSONL reads JSON Lines: one object per line, whose keys are column
// names (the header is the keys in first-seen order) and whose values are
// strings or numbers (true/false are read as text, null as ""). A key missing
// from a line reads as "". Blank lines are skipped.
func readJSONL(br *bufio.Reader, name string, skip map[string]bool) (*Table, error) {
	sample, atEOF, err := peekSample(br)
	if err != nil {
		return nil, fmt.Errorf("%s: read: %w", name, err)
	}
	enc, err := detectEncoding(name, sample, atEOF)
	if err != nil {
		return nil, err
	}
	skipBOM(br)
	lr := bufio.NewReaderSize(decodingReader(br, enc), 1<<20)
	t, _ := newTable(name, nil, skip)
	var (
		fields  []jsonField
		codes   []int32
		present []bool
	)
	colIndex := map[string]int{}
	for lineNo := 1; ; lineNo++ {
		line, err := readLine(lr)
		if errors.Is(err, io.EOF) && len(line) == 0 {
			break
		}
		eof := errors.Is(err, io.EOF)
		if err != nil && !eof {
			return nil, fmt.Errorf("%s: line %d: read: %w", name, lineNo, err)
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			if eof {
				break
			}
			continue
		}
		if !utf8.Valid(line) || (enc == EncodingGB18030 && bytes.ContainsRune(line, utf8.RuneError)) {
			_, col := lineCol(line, firstInvalidUTF8(line))
			return nil, fmt.Errorf("%s: line %d: column %d: %w", name, lineNo, col, errUndecodable)
		}
		if fields, err = parseFlatObject(line, fields[:0]); err != nil {
			return nil, fmt.Errorf("%s: line %d: %w", name, lineNo, err)
		}
		for i := range present {
			present[i] = false
		}
		for _, f := range fields {
			ci, ok := colIndex[string(f.key)]
			if f.keyEscaped || !ok {
				key := cleanName(fieldKey(f))
				if ci, ok = colIndex[key]; !ok {
					if key == "" {
						return nil, fmt.Errorf("%s: line %d: column %d: empty key, want a column name", name, lineNo, f.at)
					}
					addBlankColumn(t, key)
					ci = len(t.Columns) - 1
					colIndex[key] = ci
					codes = append(codes, 0)
					present = append(present, false)
				}
			}
			if present[ci] {
				return nil, fmt.Errorf("%s: line %d: key %q: repeated key", name, lineNo, t.Columns[ci].Name)
			}
			present[ci] = true
			codes[ci] = internField(t.Columns[ci], f)
		}
		if len(t.Columns) == 0 {
			return nil, fmt.Errorf("%s: line %d: empty object, want at least one key", name, lineNo)
		}
		for ci, c := range t.Columns {
			if c.skipped {
				continue
			}
			if !present[ci] {
				codes[ci] = internString(c, "")
			}
			c.Codes = append(c.Codes, codes[ci])
		}
		t.Lines = append(t.Lines, lineNo)
		t.rows++
		if eof {
			break
		}
	}
	if len(t.Columns) == 0 {
		return nil, fmt.Errorf("%s: line 1: empty input, want JSON objects one per line", name)
	}
	return t, nil
}

// internField returns the dictionary code of a JSON field's value in c,
// adding the value when new; plain values are looked up without copying.
func internField(c *Column, f jsonField) int32 {
	if c.skipped { // the line was checked for undecodable bytes as a whole
		return 0
	}
	if !f.valEscaped && (f.valIsString || string(f.val) != "null") {
		if code, ok := c.index[string(f.val)]; ok {
			return code
		}
	}
	return internString(c, fieldValue(f))
}

// internString returns the code of v in c, adding it when new.
func internString(c *Column, v string) int32 {
	if code, ok := c.index[v]; ok {
		return code
	}
	code := int32(len(c.Dict))
	c.Dict = append(c.Dict, v)
	c.index[v] = code
	return code
}

// readLine returns the next line of r without its line end; lines may be
// longer than r's buffer.
func readLine(r *bufio.Reader) ([]byte, error) {
	line, err := r.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		buf := append([]byte(nil), line...)
		for errors.Is(err, bufio.ErrBufferFull) {
			line, err = r.ReadSlice('\n')
			buf = append(buf, line...)
		}
		line = buf
	}
	return line, err
}

// addBlankColumn adds a column to t whose value is "" in every existing row
// (a JSON Lines key first seen after the first line).
func addBlankColumn(t *Table, name string) {
	c := t.newColumn(name)
	for range t.rows {
		c.append("")
	}
	t.Columns = append(t.Columns, c)
}
