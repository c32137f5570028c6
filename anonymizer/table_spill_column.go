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
	"hash/maphash"
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
// undecodable value disagree. The file is parsed on all cores by the
// block parser of the table reader (the column's values copied in row
// order); should anything in it be amiss, it is read again by
// encoding/csv, which names the line. Not safe for concurrent use with
// other uses of t.
func (s *Spill) Column(t *Table, path string, delim rune, name string) error {
	ci := t.ColumnIndex(name)
	if ci < 0 || !t.Columns[ci].skipped {
		return fmt.Errorf("spill %s: column %q: not a skipped column", path, name)
	}
	if delim == 0 {
		delim = ','
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
	err = errSpillReread
	if parallelDelimiter(delim) {
		err = s.columnBlocks(dict, path, byte(delim), ci, len(t.Columns), name)
	}
	if errors.Is(err, errSpillReread) {
		err = s.columnCSV(dict, path, delim, ci, len(t.Columns), name)
	}
	if err != nil {
		return err
	}
	for i := range codes {
		codes[i] = int32(i)
	}
	c := t.Columns[ci]
	c.Dict, c.Codes, c.skipped, c.index = dict, codes, false, nil
	c.indexOnce = sync.Once{}
	t.spill = s
	return nil
}

// spillColumnBlock is the block size of columnBlocks (tests make it small).
var spillColumnBlock = readBlockSize

// errSpillReread: the block parser met something encoding/csv must name
// (a malformed record, a ragged row, an undecodable value).
var errSpillReread = errors.New("spill: read the column again with encoding/csv")

// columnBlocks fills dict with column ci's values, the file's blocks
// parsed on all cores and copied into the spill in input order.
func (s *Spill) columnBlocks(dict []string, path string, delim byte, ci, cols int, name string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("spill: %w", err)
	}
	defer f.Close()
	sp := &splitter{r: bufio.NewReaderSize(f, 1<<20), size: spillColumnBlock}
	first, last, err := sp.first()
	if err != nil {
		return fmt.Errorf("spill %s: %w", path, err)
	}
	header, start, err := readHeader(path, first, delim, false)
	if err != nil {
		return errSpillReread
	}
	if len(header) != cols || header[ci] != name {
		return fmt.Errorf("spill %s: the header is not the table's", path)
	}
	keep := make([]bool, cols)
	keep[ci] = true
	seed := maphash.MakeSeed()
	workers := runtime.GOMAXPROCS(0)
	inflight := 3*workers + 2
	sem := make(chan struct{}, inflight)
	free := make(chan *parsedBlock, inflight)
	todo := make(chan *parsedBlock, inflight)
	done := make(chan *parsedBlock, inflight)
	quit := make(chan struct{})
	var readErr error
	go feedBlocks(sp, &parsedBlock{last: last, buf: first, raw: first, start: start}, sem, free, todo, quit, &readErr)
	parseBlocks(workers, func() *blockParser { return &blockParser{delim: delim, cols: cols, keep: keep, seed: seed} }, todo, done, quit)
	release := func(b *parsedBlock) {
		select {
		case free <- b:
		default:
		}
		<-sem
	}

	a := arena{s: s}
	pending := map[int]*parsedBlock{}
	next, row := 0, 0
	err = nil
	for b := range done {
		if err != nil { // draining after an error
			release(b)
			continue
		}
		pending[b.seq] = b
		for pb := pending[next]; pb != nil && err == nil; pb = pending[next] {
			delete(pending, next)
			next++
			err = copyColumn(&a, dict, &row, pb, ci, path)
			release(pb)
		}
		if err != nil {
			for _, pb := range pending {
				release(pb)
			}
			clear(pending)
			close(quit)
		}
	}
	if err != nil {
		return err
	}
	if readErr != nil {
		return fmt.Errorf("spill %s: %w", path, readErr)
	}
	if row != len(dict) {
		return fmt.Errorf("spill %s: %d rows, the table has %d", path, row, len(dict))
	}
	return nil
}

// copyColumn copies column ci's values of the parsed block b into the
// arena, at dict[*row] on.
func copyColumn(a *arena, dict []string, row *int, b *parsedBlock, ci int, path string) error {
	if b.stop || b.badOK {
		return errSpillReread
	}
	if *row+b.rows > len(dict) {
		return fmt.Errorf("spill %s: more rows than the table's %d", path, len(dict))
	}
	cb := &b.cols[ci]
	for r := range b.rows {
		k := r
		if !cb.direct {
			k = int(cb.codes[r])
		}
		v := unsafe.String(unsafe.SliceData(b.buf[cb.off[2*k]:]), cb.off[2*k+1]-cb.off[2*k])
		var err error
		if dict[*row], err = a.keep(v); err != nil {
			return err
		}
		*row++
		if *row&(1<<20-1) == 0 {
			a.s.Trim()
		}
	}
	return nil
}

// columnCSV is columnBlocks by encoding/csv, on one core: it names the
// line of whatever is amiss.
func (s *Spill) columnCSV(dict []string, path string, delim rune, ci, cols int, name string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("spill: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReaderSize(f, 1<<20))
	r.Comma = delim
	r.ReuseRecord = true
	header, err := r.Read()
	if err != nil {
		return fmt.Errorf("spill %s: header: %w", path, err)
	}
	if len(header) != cols || cleanName(header[ci]) != name {
		return fmt.Errorf("spill %s: the header is not the table's", path)
	}
	n := len(dict)
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
		if row&(1<<20-1) == 0 {
			s.Trim()
		}
	}
	if row != n {
		return fmt.Errorf("spill %s: %d rows, the table has %d", path, row, n)
	}
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
