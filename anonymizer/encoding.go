package anonymizer

import (
	"bytes"
	"fmt"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// Encoding is the character encoding of a text input.
type Encoding string

// Encodings the readers recognise. Output is always UTF-8.
const (
	EncodingUTF8    Encoding = "utf-8"
	EncodingGB18030 Encoding = "gb18030" // a superset of GBK and GB2312
)

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// sniffSize is how much of a text input is inspected to choose its encoding
// and delimiter.
const sniffSize = 256 << 10

// detectEncoding chooses the encoding of sample, the first bytes of an input
// (atEOF: sample is the whole input). Valid UTF-8 is UTF-8; otherwise the
// sample must decode as GB18030 without replacement characters. It returns an
// error naming the line and byte column of the first undecodable byte.
func detectEncoding(name string, sample []byte, atEOF bool) (Encoding, error) {
	s := bytes.TrimPrefix(sample, utf8BOM)
	if !atEOF {
		s = trimPartialRune(s)
	}
	if utf8.Valid(s) {
		return EncodingUTF8, nil
	}
	if pos, ok := gb18030Valid(s, atEOF); ok {
		return EncodingGB18030, nil
	} else if pos >= 0 {
		// Report the first byte that is neither UTF-8 nor GB18030.
		line, col := lineCol(s, firstInvalidUTF8(s))
		return "", fmt.Errorf("%s: line %d: column %d: undecodable bytes (neither UTF-8 nor GB18030/GBK)", name, line, col)
	}
	return EncodingGB18030, nil
}

// trimPartialRune drops an incomplete UTF-8 sequence at the end of b (the
// sample may cut a character in two).
func trimPartialRune(b []byte) []byte {
	for i := 1; i <= 3 && i <= len(b); i++ {
		c := b[len(b)-i]
		if c < 0x80 {
			return b
		}
		if c >= 0xC0 { // a leading byte
			if !utf8.FullRune(b[len(b)-i:]) {
				return b[:len(b)-i]
			}
			return b
		}
	}
	return b
}

// gb18030Valid reports whether b decodes as GB18030 without error. When it
// does not, pos is the offset of the first bad sequence.
func gb18030Valid(b []byte, atEOF bool) (pos int, ok bool) {
	i := 0
	for i < len(b) {
		c := b[i]
		switch {
		case c < 0x80:
			i++
		case c == 0x80 || c == 0xFF:
			return i, false
		default:
			if i+1 >= len(b) {
				if atEOF {
					return i, false
				}
				return -1, true
			}
			c1 := b[i+1]
			if c1 >= 0x40 && c1 <= 0xFE && c1 != 0x7F {
				i += 2
				continue
			}
			if c1 >= 0x30 && c1 <= 0x39 { // four-byte sequence
				if i+3 >= len(b) {
					if atEOF {
						return i, false
					}
					return -1, true
				}
				c2, c3 := b[i+2], b[i+3]
				if c2 >= 0x81 && c2 <= 0xFE && c3 >= 0x30 && c3 <= 0x39 {
					i += 4
					continue
				}
			}
			return i, false
		}
	}
	return -1, true
}

func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// lineCol returns the 1-based line and byte column of offset off in b.
func lineCol(b []byte, off int) (line, col int) {
	if off > len(b) {
		off = len(b)
	}
	line = 1 + bytes.Count(b[:off], []byte{'\n'})
	col = off - bytes.LastIndexByte(b[:off], '\n')
	return line, col
}

// decodingReader returns r decoded to UTF-8 from enc, with a UTF-8 byte order
// mark removed.
func decodingReader(r io.Reader, enc Encoding) io.Reader {
	if enc == EncodingGB18030 {
		return transform.NewReader(r, simplifiedchinese.GB18030.NewDecoder())
	}
	return r
}
