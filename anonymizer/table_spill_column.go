package anonymizer

import (
	"bufio"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"runtime"
	"sync"
	"unicode/utf8"
	"unsafe"

	"github.com/emmansun/gmsm/sm3"
)

// An identifier column to pseudonymize is near-unique: held as a dictionary
// it costs a string per row while the table is read, an index to intern it,
// and a 64-digit pseudonym per row in the release — over a hundred bytes a
// row, five gigabytes on 50 M rows. A spilled run reads the table without
// it (ReadOptions.Skip), then streams the file once more for that column
// alone and keeps its values and their pseudonyms in the spill, one per
// row (Codes is the identity): none of it is on the heap.

// stringSlots returns n string headers in a new mapped file.
func (s *Spill) stringSlots(n int) ([]string, error) {
	if n == 0 {
		return []string{}, nil
	}
	b, err := s.allocBytes(int64(n) * int64(unsafe.Sizeof("")))
	if err != nil {
		return nil, err
	}
	return unsafe.Slice((*string)(unsafe.Pointer(&b[0])), n), nil
}

// spillArenaChunk is the size of each mapped file that holds string bytes.
const spillArenaChunk = 64 << 20

// arena hands out bytes from mapped files of spillArenaChunk bytes.
type arena struct {
	s   *Spill
	cur []byte
}

// keep copies v into the arena and returns it as a string there.
func (a *arena) keep(v string) (string, error) {
	if len(v) == 0 {
		return "", nil
	}
	if len(v) > len(a.cur) {
		b, err := a.s.allocBytes(max(spillArenaChunk, int64(len(v))))
		if err != nil {
			return "", err
		}
		a.cur = b
	}
	n := copy(a.cur, v)
	out := unsafe.String(&a.cur[0], n)
	a.cur = a.cur[n:]
	return out, nil
}

// Column streams the CSV or TSV file at path once more and fills the
// column name of t, read skipped (ReadOptions.Skip), with its values, one
// per row, in the spill. delim 0 is ','. The file must be the one t was
// read from, in UTF-8: it returns an error when its rows, its header or an
// undecodable value disagree. Not safe for concurrent use with other uses
// of t.
func (s *Spill) Column(t *Table, path string, delim rune, name string) error {
	ci := t.ColumnIndex(name)
	if ci < 0 || !t.Columns[ci].skipped {
		return fmt.Errorf("spill %s: column %q: not a skipped column", path, name)
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("spill: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReaderSize(f, 1<<20))
	if delim != 0 {
		r.Comma = delim
	}
	r.ReuseRecord = true
	header, err := r.Read()
	if err != nil {
		return fmt.Errorf("spill %s: header: %w", path, err)
	}
	if len(header) != len(t.Columns) || cleanName(header[ci]) != name {
		return fmt.Errorf("spill %s: the header is not the table's", path)
	}
	n := t.Rows()
	dict, err := s.stringSlots(n)
	if err != nil {
		return err
	}
	codes, err := s.alloc(n)
	if err != nil {
		return err
	}
	a := arena{s: s}
	row := 0
	for ; ; row++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("spill %s: %w", path, err)
		}
		if row >= n {
			return fmt.Errorf("spill %s: more rows than the table's %d", path, n)
		}
		v := rec[ci]
		if !utf8.ValidString(v) {
			line, _ := r.FieldPos(ci)
			return fmt.Errorf("spill %s: line %d: column %q: not UTF-8", path, line, name)
		}
		if dict[row], err = a.keep(v); err != nil {
			return err
		}
		codes[row] = int32(row)
		if row&(1<<20-1) == 0 {
			s.Trim()
		}
	}
	if row != n {
		return fmt.Errorf("spill %s: %d rows, the table has %d", path, row, n)
	}
	c := t.Columns[ci]
	c.Dict, c.Codes, c.skipped, c.index = dict, codes, false, nil
	c.indexOnce = sync.Once{}
	t.spill = s
	return nil
}

// newPseudonymMAC returns the keyed hash of cfg's pseudonyms.
func (cfg Config) newPseudonymMAC() hash.Hash {
	if cfg.PseudonymMethod == MethodHMACSM3 {
		return hmac.New(sm3.New, cfg.PseudonymKey)
	}
	return hmac.New(sha256.New, cfg.PseudonymKey)
}

// spilledPseudonyms is pseudonymDict with the pseudonyms (and their string
// headers) in s; it falls back to pseudonymDict when s cannot map them.
func (cfg Config) spilledPseudonyms(s *Spill, values []string) []string {
	const width = 2 * sha256.Size // sm3.Size is the same
	out, err := s.stringSlots(len(values))
	if err != nil {
		return cfg.pseudonymDict(values)
	}
	digits, err := s.allocBytes(int64(len(values)) * width)
	if err != nil {
		return cfg.pseudonymDict(values)
	}
	n := min(runtime.GOMAXPROCS(0), 8, max(len(values)/4096, 1))
	var wg sync.WaitGroup
	for w := range n {
		wg.Go(func() {
			m := cfg.newPseudonymMAC()
			var sum [sha256.Size]byte
			for i := w; i < len(values); i += n {
				m.Reset()
				m.Write([]byte(values[i]))
				d := digits[i*width : i*width+width]
				hex.Encode(d, m.Sum(sum[:0]))
				out[i] = unsafe.String(&d[0], width)
			}
		})
	}
	wg.Wait()
	return out
}
