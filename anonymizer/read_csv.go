package anonymizer

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// readDelimited reads CSV/TSV text from br: the encoding (UTF-8 with or
// without BOM, or GB18030/GBK) is detected, the delimiter sniffed unless
// delim is given, quoted fields and CRLF or LF line ends are accepted. The
// first record is the header.
func readDelimited(br *bufio.Reader, name string, delim rune, total int64, skip, carry map[string]bool) (*Table, error) {
	return readDelimitedBy(br, name, delim, total, skip, carry, readBlockSize)
}

// readDelimitedBy is readDelimited through the parallel reader in blocks
// of blockSize bytes when the delimiter allows it, else (or with blockSize
// 0) through encoding/csv. Only the parallel reader carries the columns
// named in carry (ReadOptions.Carry).
func readDelimitedBy(br *bufio.Reader, name string, delim rune, total int64, skip, carry map[string]bool, blockSize int) (*Table, error) {
	sample, atEOF, err := peekSample(br)
	if err != nil {
		return nil, fmt.Errorf("%s: read: %w", name, err)
	}
	enc, err := detectEncoding(name, sample, atEOF)
	if err != nil {
		// Neither encoding fits: read as UTF-8, and let the field check
		// name the line and column of the first bad value.
		enc = EncodingUTF8
	}
	skipBOM(br)
	text := bytes.TrimPrefix(sample, utf8BOM)
	if enc == EncodingGB18030 {
		if d, err := simplifiedchinese.GB18030.NewDecoder().Bytes(trimGBTail(sample)); err == nil {
			text = d
		}
	}
	if delim == 0 {
		delim = sniffDelimiter(text, atEOF)
	}
	if atEOF && blockSize > len(sample)+1 {
		// The whole input is in the sample: one block of its size, not
		// a zeroed buffer of blockSize (4 MiB) for a small table, such as
		// a release read again for every delivered copy.
		blockSize = len(sample) + 1
	}
	if blockSize > 0 && parallelDelimiter(delim) {
		return readParallel(br, name, byte(delim), enc == EncodingGB18030, text, total, skip, carry, blockSize)
	}
	return readSequential(br, name, delim, enc, text, total, skip)
}

// readSequential reads delimited text through encoding/csv, one record at a
// time, for delimiters the parallel reader does not take (not ASCII). It is
// also the reference the parallel reader is tested against.
func readSequential(br *bufio.Reader, name string, delim rune, enc Encoding, text []byte, total int64, skip map[string]bool) (*Table, error) {
	cr := csv.NewReader(decodingReader(br, enc))
	cr.Comma = delim
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: line 1: empty input, want a header line", name)
	}
	if err != nil {
		return nil, csvError(name, err)
	}
	header = append([]string(nil), header...)
	for i, h := range header {
		if !utf8.ValidString(h) || (enc == EncodingGB18030 && strings.ContainsRune(h, utf8.RuneError)) {
			return nil, fmt.Errorf("%s: line 1: column %d: undecodable bytes in the header", name, i+1)
		}
		header[i] = cleanName(h)
	}
	t, err := newTable(name, header, skip)
	if err != nil {
		return nil, err
	}
	presize(t, text, delim, total, true)
	decoded := enc == EncodingGB18030
	batch := &recordBatch{cols: len(header)}
	flush := func() error {
		if fe, bad := internBatch(t, batch, decoded); bad {
			return fmt.Errorf("%s: line %d: column %d (%q): %w", name, batch.lines[fe.row], fe.col+1, header[fe.col], errUndecodable)
		}
		batch.reset()
		return nil
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			if err := flush(); err != nil {
				return nil, err
			}
			return t, nil
		}
		if err == nil && len(rec) != len(header) {
			line, _ := cr.FieldPos(0)
			err = raggedRow(name, line, len(rec), header)
		} else if err != nil {
			err = csvError(name, err)
		}
		if err != nil {
			if ferr := flush(); ferr != nil { // an earlier line's error comes first
				return nil, ferr
			}
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		batch.add(rec, line)
		if batch.rows() == readBatchRows {
			if err := flush(); err != nil {
				return nil, err
			}
		}
	}
}

var errUndecodable = errors.New("undecodable bytes (neither UTF-8 nor GB18030/GBK)")

// csvError turns an encoding/csv error into one line naming file, line and column.
func csvError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: line %d: column %d: %w", name, pe.Line, pe.Column, pe.Err)
	}
	return fmt.Errorf("%s: read: %w", name, err)
}

// trimGBTail cuts b after its last line break, so that a multi-byte
// GB18030 sequence cut in two at the end of a sample does not fail decoding.
func trimGBTail(b []byte) []byte {
	if i := bytes.LastIndexByte(b, '\n'); i > 0 {
		return b[:i+1]
	}
	return b
}

// sniffDelimiter picks the delimiter of delimited text from its first lines:
// among , ; TAB | the one that occurs the same non-zero number of times
// (outside quotes) on every line, the most frequent on a tie; else the most
// frequent on the first line; else a comma.
func sniffDelimiter(text []byte, atEOF bool) rune {
	cands := []byte{',', ';', '\t', '|'}
	var lines [][4]int
	var cur [4]int
	inQuote := false
scan:
	for _, c := range text {
		switch {
		case c == '"':
			inQuote = !inQuote
		case c == '\n' && !inQuote:
			lines = append(lines, cur)
			cur = [4]int{}
			if len(lines) == 50 {
				break scan
			}
		case !inQuote:
			for k, d := range cands {
				if c == d {
					cur[k]++
				}
			}
		}
	}
	if atEOF && cur != [4]int{} {
		lines = append(lines, cur)
	}
	if len(lines) == 0 {
		return ','
	}
	best, bestN := -1, 0
	for k := range cands {
		n := lines[0][k]
		if n == 0 {
			continue
		}
		consistent := true
		for _, l := range lines[1:] {
			if l[k] != n {
				consistent = false
				break
			}
		}
		if consistent && n > bestN {
			best, bestN = k, n
		}
	}
	if best < 0 {
		for k := range cands {
			if lines[0][k] > bestN {
				best, bestN = k, lines[0][k]
			}
		}
	}
	if best < 0 {
		return ','
	}
	return rune(cands[best])
}
