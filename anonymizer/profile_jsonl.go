package anonymizer

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// profileJSONL is Profile of JSON Lines: readJSONL's checks, keeping the
// keys in first-seen order and a sample of the lines.
func profileJSONL(ctx context.Context, br *bufio.Reader, name string, opt ProfileOptions) (*Profile, error) {
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
	var (
		header []string
		fields []jsonField
		row    []string
		seen   []bool
	)
	colIndex := map[string]int{}
	res := newReservoir(opt)
	for lineNo := 1; ; lineNo++ {
		line, err := readLine(lr)
		eof := errors.Is(err, io.EOF)
		if eof && len(line) == 0 {
			break
		}
		if err != nil && !eof {
			return nil, fmt.Errorf("%s: line %d: read: %w", name, lineNo, err)
		}
		line = bytes.TrimSpace(line)
		if len(line) > 0 {
			if !utf8.Valid(line) || (enc == EncodingGB18030 && bytes.ContainsRune(line, utf8.RuneError)) {
				_, col := lineCol(line, firstInvalidUTF8(line))
				return nil, fmt.Errorf("%s: line %d: column %d: %w", name, lineNo, col, errUndecodable)
			}
			if fields, err = parseFlatObject(line, fields[:0]); err != nil {
				return nil, fmt.Errorf("%s: line %d: %w", name, lineNo, err)
			}
			row = row[:0]
			for i := range seen {
				seen[i] = false
			}
			for _, f := range fields {
				key := cleanName(fieldKey(f))
				ci, ok := colIndex[key]
				if !ok {
					if key == "" {
						return nil, fmt.Errorf("%s: line %d: column %d: empty key, want a column name", name, lineNo, f.at)
					}
					ci = len(header)
					colIndex[key] = ci
					header = append(header, key)
					seen = append(seen, false)
				}
				if seen[ci] {
					return nil, fmt.Errorf("%s: line %d: key %q: repeated key", name, lineNo, key)
				}
				seen[ci] = true
				for len(row) <= ci {
					row = append(row, "")
				}
				row[ci] = fieldValue(f)
			}
			if len(header) == 0 {
				return nil, fmt.Errorf("%s: line %d: empty object, want at least one key", name, lineNo)
			}
			res.offer(row, lineNo)
			if res.seen%4096 == 0 {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
			}
		}
		if eof {
			break
		}
	}
	if len(header) == 0 {
		return nil, fmt.Errorf("%s: line 1: empty input, want JSON objects one per line", name)
	}
	t, err := res.table(name, header)
	if err != nil {
		return nil, err
	}
	return &Profile{Rows: res.seen, Columns: header, Sample: t}, nil
}
