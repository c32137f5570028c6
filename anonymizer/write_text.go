package anonymizer

import (
	"bufio"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"
)

// fieldEncoder renders a column's values for text output, caching the
// rendering of each dictionary entry when the column repeats its values.
type fieldEncoder struct {
	col   *Column
	cache [][]byte
	enc   func([]byte, string) []byte
}

func newFieldEncoder(col *Column, rows int, enc func([]byte, string) []byte) *fieldEncoder {
	fe := &fieldEncoder{col: col, enc: enc}
	if len(col.Dict)*4 <= rows {
		fe.cache = make([][]byte, len(col.Dict))
	}
	return fe
}

func (fe *fieldEncoder) append(b []byte, r int) []byte {
	if fe.col.skipped {
		return fe.enc(b, "")
	}
	code := fe.col.Codes[r]
	if fe.cache == nil {
		return fe.enc(b, fe.col.Dict[code])
	}
	if fe.cache[code] == nil {
		fe.cache[code] = fe.enc(nil, fe.col.Dict[code])
	}
	return append(b, fe.cache[code]...)
}

// writeChunk is the number of rows one worker renders at a time.
const writeChunk = 1 << 14

func writeDelimited(w io.Writer, t *Table, delim rune) error {
	if delim == '"' || delim == '\r' || delim == '\n' || !utf8.ValidRune(delim) {
		return fmt.Errorf("write csv: invalid delimiter %q", delim)
	}
	var line []byte
	for i, h := range t.Header() {
		if i > 0 {
			line = utf8.AppendRune(line, delim)
		}
		line = appendCSVField(line, h, delim)
	}
	line = append(line, '\n')
	if _, err := w.Write(line); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	// Each column's lookup table: its dictionary, or the dictionary's
	// entries rendered (quoted) when some need it; then rows are rendered
	// by lookups into large buffers, chunks of rows on all cores, and
	// written in order.
	vals := make([][]string, len(t.Columns))
	var wg sync.WaitGroup
	for i, c := range t.Columns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			vals[i] = csvLookup(c, delim)
		}()
	}
	wg.Wait()
	codes := make([][]int32, len(t.Columns))
	for i, c := range t.Columns {
		codes[i] = c.Codes
	}
	sep := utf8.AppendRune(nil, delim)
	render := func(buf []byte, lo, hi int) []byte {
		for r := lo; r < hi; r++ {
			start := len(buf)
			for i, v := range vals {
				if i > 0 {
					buf = append(buf, sep...)
				}
				if v != nil {
					buf = append(buf, v[codes[i][r]]...)
				}
			}
			if len(buf) == start {
				buf = append(buf, '"', '"') // an empty line would be skipped by readers
			}
			buf = append(buf, '\n')
		}
		return buf
	}
	return writeChunks(w, t.Rows(), render, "write csv")
}

// csvLookup is column c's values as written in CSV: its dictionary when no
// value needs quoting, else every value rendered; nil for a skipped column
// (written empty).
func csvLookup(c *Column, delim rune) []string {
	if c.skipped {
		return nil
	}
	for i, v := range c.Dict {
		if !csvNeedsQuotes(v, delim) {
			continue
		}
		out := make([]string, len(c.Dict))
		copy(out, c.Dict[:i])
		for j := i; j < len(c.Dict); j++ {
			out[j] = string(appendCSVField(nil, c.Dict[j], delim))
		}
		return out
	}
	return c.Dict
}

// writeChunks renders rows [0, rows) with render, chunks of writeChunk rows
// on all cores, and writes them to w in order. what prefixes errors.
func writeChunks(w io.Writer, rows int, render func(buf []byte, lo, hi int) []byte, what string) error {
	workers := runtime.GOMAXPROCS(0)
	type chunk struct {
		lo  int
		buf []byte
		out chan []byte
	}
	chunks := make(chan *chunk, 2*workers)
	order := make(chan *chunk, 2*workers)
	free := make(chan []byte, 4*workers)
	quit := make(chan struct{})
	// size of the last chunk rendered: a new buffer is made a little
	// larger, so that it is not grown (and copied) while rendering
	var last atomic.Int64
	go func() { // hands out chunks in row order
		defer close(chunks)
		defer close(order)
		for lo := 0; lo < rows; lo += writeChunk {
			c := &chunk{lo: lo, out: make(chan []byte, 1)}
			select {
			case c.buf = <-free:
			default:
			}
			select {
			case order <- c:
			case <-quit:
				return
			}
			chunks <- c
		}
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range chunks {
				if c.buf == nil {
					c.buf = make([]byte, 0, last.Load()*9/8)
				}
				buf := render(c.buf[:0], c.lo, min(c.lo+writeChunk, rows))
				last.Store(int64(len(buf)))
				c.out <- buf
			}
		}()
	}
	var err error
	for c := range order {
		buf := <-c.out
		if err == nil {
			if _, werr := w.Write(buf); werr != nil {
				err = fmt.Errorf("%s: row %d: %w", what, c.lo+1, werr)
				close(quit)
			}
		}
		select {
		case free <- buf:
		default:
		}
	}
	wg.Wait()
	return err
}

// csvNeedsQuotes reports whether s is quoted in CSV (appendCSVField).
func csvNeedsQuotes(s string, delim rune) bool {
	return strings.ContainsRune(s, delim) || strings.ContainsAny(s, "\"\r\n") ||
		(s != "" && (s[0] == ' ' || s[0] == '\t' || s[len(s)-1] == ' ' || s[len(s)-1] == '\t'))
}

// appendCSVField appends s to b, quoted (RFC 4180) when it holds the
// delimiter, a quote, a line break or leading/trailing white space.
func appendCSVField(b []byte, s string, delim rune) []byte {
	if !csvNeedsQuotes(s, delim) {
		return append(b, s...)
	}
	b = append(b, '"')
	for {
		i := strings.IndexByte(s, '"')
		if i < 0 {
			break
		}
		b = append(b, s[:i+1]...)
		b = append(b, '"')
		s = s[i+1:]
	}
	b = append(b, s...)
	return append(b, '"')
}

func writeJSONL(w io.Writer, t *Table) error {
	bw := bufio.NewWriterSize(w, 256<<10)
	keys := make([][]byte, len(t.Columns))
	encs := make([]*fieldEncoder, len(t.Columns))
	for i, c := range t.Columns {
		keys[i] = append(appendJSONString(nil, c.Name), ':')
		encs[i] = newFieldEncoder(c, t.Rows(), appendJSONString)
	}
	var line []byte
	for r := 0; r < t.Rows(); r++ {
		line = append(line[:0], '{')
		for i, fe := range encs {
			if i > 0 {
				line = append(line, ',')
			}
			line = append(line, keys[i]...)
			line = fe.append(line, r)
		}
		line = append(line, '}', '\n')
		if _, err := bw.Write(line); err != nil {
			return fmt.Errorf("write jsonl: row %d: %w", r+1, err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write jsonl: %w", err)
	}
	return nil
}

// appendJSONString appends s as a JSON string (no HTML escaping; invalid
// UTF-8 becomes U+FFFD).
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			b = append(b, s[start:i]...)
			b = append(b, "\ufffd"...)
			i += n
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += n
			start = i
			continue
		}
		i += n
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
