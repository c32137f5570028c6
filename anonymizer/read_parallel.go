package anonymizer

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// parallelDelimiter reports whether the parallel reader takes delimiter d:
// any ASCII byte that is not a quote or a line end.
func parallelDelimiter(d rune) bool {
	return d > 0 && d < utf8.RuneSelf && d != '"' && d != '\n' && d != '\r'
}

// readParallel reads delimited text as encoding/csv would (same fields,
// same errors), at several times its speed: the input is cut into blocks
// of whole records (splitter), blocks are decoded (GB18030) and split into
// fields on all cores without making a string per field, and each column
// is dictionary-encoded from the fields' hashes, blocks in input order so
// that codes are numbered by first occurrence exactly as before.
func readParallel(br *bufio.Reader, name string, delim byte, gb bool, text []byte, total int64, skip, carry map[string]bool, blockSize int) (*Table, error) {
	sp := &splitter{r: br, size: blockSize}
	first, last, err := sp.first()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	b0 := &parsedBlock{last: last, buf: first, raw: first}
	if gb {
		b0.buf, b0.decoded = decodeGB(first), true
	}
	header, start, err := readHeader(name, b0.buf, delim, gb)
	if err != nil {
		return nil, err
	}
	b0.start = start
	t, err := newTable(name, header, skip)
	if err != nil {
		return nil, err
	}
	hints := presize(t, text, rune(delim), total, false)
	seed := maphash.MakeSeed()
	cols := len(header)
	keep := make([]bool, cols)
	carried := make([]bool, cols)
	interns := make([]*internTable, cols)
	var kept []int
	for i, c := range t.Columns {
		if !c.skipped {
			keep[i] = true
			c.carried, carried[i] = carry[c.Name], carry[c.Name]
			c.index = nil
			interns[i] = newInternTable(c, seed, hints[i])
			kept = append(kept, i)
		}
	}
	p := &pipeline{name: name, header: header, t: t, interns: interns, kept: kept, delim: delim, base: 1}
	err = p.run(sp, b0, func() *blockParser {
		bp := &blockParser{delim: delim, cols: cols, keep: keep, carry: carried, gb: gb, seed: seed}
		if gb {
			bp.dec = simplifiedchinese.GB18030.NewDecoder()
		}
		return bp
	})
	if err != nil {
		return nil, err
	}
	// The columns' dictionaries are made on all cores; small columns keep
	// a value → code map, as before.
	var wg sync.WaitGroup
	var nextCol atomic.Int32
	for w := 0; w < min(runtime.GOMAXPROCS(0), len(kept)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := int(nextCol.Add(1)) - 1; k < len(kept); k = int(nextCol.Add(1)) - 1 {
				ci := kept[k]
				interns[ci].finish()
				if c := t.Columns[ci]; len(c.Dict) <= dropIndexAbove {
					c.ensureIndex()
				}
			}
		}()
	}
	wg.Wait()
	return t, nil
}

// feedBlocks is a pipeline's splitter goroutine: it sends b0, then the
// blocks of sp in order (numbered from 1, buffers reused from free), each
// once it holds a token of sem, until the input ends or quit is closed; a
// read error is left in *readErr. It closes todo when it returns.
func feedBlocks(sp *splitter, b0 *parsedBlock, sem chan struct{}, free <-chan *parsedBlock, todo chan<- *parsedBlock, quit <-chan struct{}, readErr *error) {
	defer close(todo)
	sem <- struct{}{}
	todo <- b0
	for seq, last := 1, b0.last; !last; seq++ {
		select {
		case sem <- struct{}{}:
		case <-quit:
			return
		}
		pb := &parsedBlock{}
		select {
		case pb = <-free:
		default:
		}
		block, l, err := sp.next(pb.raw[:0])
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			*readErr = err
			return
		}
		last = l
		pb.seq, pb.last, pb.buf, pb.raw, pb.start, pb.decoded = seq, l, block, block, 0, false
		todo <- pb
	}
}

// parseBlocks starts workers goroutines that parse the blocks of todo,
// each with a parser of its own from newParser, and pass them on to done,
// which is closed once todo is drained; after quit is closed blocks pass
// unparsed.
func parseBlocks(workers int, newParser func() *blockParser, todo <-chan *parsedBlock, done chan<- *parsedBlock, quit <-chan struct{}) {
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			bp := newParser()
			for b := range todo {
				select {
				case <-quit:
				default:
					bp.parse(b)
				}
				done <- b
			}
		})
	}
	go func() { wg.Wait(); close(done) }()
}

// onlyLineEnds reports whether b holds nothing but CR and LF bytes.
func onlyLineEnds(b []byte) bool {
	for _, c := range b {
		if c != '\n' && c != '\r' {
			return false
		}
	}
	return true
}

// decodeGB decodes GB18030 text; undecodable bytes become U+FFFD, which
// the field checks then report.
func decodeGB(b []byte) []byte {
	d, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b)
	if err != nil {
		return append([]byte(nil), b...)
	}
	return d
}

// readHeader parses the first record of data (empty lines before it are
// skipped, as encoding/csv does) and returns the cleaned column names and
// where the records start.
func readHeader(name string, data []byte, delim byte, gb bool) ([]string, int, error) {
	pos := 0
	for pos < len(data) && (data[pos] == '\n' || data[pos] == '\r' && (pos+1 == len(data) || data[pos+1] == '\n')) {
		pos++
	}
	if pos == len(data) {
		return nil, 0, fmt.Errorf("%s: line 1: empty input, want a header line", name)
	}
	hb := &parsedBlock{buf: data[:len(data):len(data)], n: len(data)}
	bp := &blockParser{delim: delim}
	fields, next, _, ok := bp.record(hb, pos)
	if !ok {
		return nil, 0, csvSyntaxError(name, data, delim, 1)
	}
	header := make([]string, len(fields)/2)
	for i := range header {
		h := string(hb.buf[fields[2*i]:fields[2*i+1]])
		if !utf8.ValidString(h) || (gb && strings.ContainsRune(h, utf8.RuneError)) {
			return nil, 0, fmt.Errorf("%s: line 1: column %d: undecodable bytes in the header", name, i+1)
		}
		header[i] = cleanName(h)
	}
	return header, min(next, len(data)), nil
}

// csvSyntaxError has encoding/csv read the record at the start of data
// (line number line) and returns its error, so that a malformed record is
// reported in the same words as by the sequential reader.
func csvSyntaxError(name string, data []byte, delim byte, line int) error {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = rune(delim)
	cr.FieldsPerRecord = -1
	_, err := cr.Read()
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		pe.Line += line - 1
		pe.StartLine += line - 1
		return csvError(name, pe)
	}
	return fmt.Errorf("%s: line %d: malformed record (a quoted field longer than %d MiB?)", name, line, maxQuotedSpan>>20)
}

// pipeline runs the splitter, the parse workers, and one merge goroutine
// per kept column.
type pipeline struct {
	name    string
	header  []string
	t       *Table
	interns []*internTable
	kept    []int
	delim   byte
	base    int // line number of the next block's first line
	readErr error
	// release returns a block that is done with to the splitter.
	release func(*parsedBlock)
}

// run reads the blocks of sp (b0 first). Blocks are parsed on all cores;
// then each kept column's goroutine merges the blocks into its column in
// input order (codes are numbered by first occurrence), independently of
// the other columns: there is no barrier per block, so a column of
// identifiers that costs ten times a column of sexes lags a few blocks
// behind while the cores parse ahead and merge the cheap columns. A block
// returns to the pool once every column has merged it.
func (p *pipeline) run(sp *splitter, b0 *parsedBlock, newParser func() *blockParser) error {
	workers := runtime.GOMAXPROCS(0)
	inflight := 3*workers + 2
	sem := make(chan struct{}, inflight)
	free := make(chan *parsedBlock, inflight) // blocks to reuse, buffers and all
	todo := make(chan *parsedBlock, inflight)
	done := make(chan *parsedBlock, inflight)
	quit := make(chan struct{})
	release := func(pb *parsedBlock) {
		select { // before the splitter may go on, so that it reuses pb
		case free <- pb:
		default:
		}
		<-sem
	}
	p.release = release
	go feedBlocks(sp, b0, sem, free, todo, quit, &p.readErr)
	parseBlocks(workers, newParser, todo, done, quit)

	merges := make([]chan *parsedBlock, len(p.kept))
	var mwg sync.WaitGroup
	for k, ci := range p.kept {
		merges[k] = make(chan *parsedBlock, inflight)
		mwg.Add(1)
		go func() {
			defer mwg.Done()
			it := p.interns[ci]
			for b := range merges[k] {
				it.mergeBlock(&b.cols[ci], b.buf, b.rows)
				if b.merging.Add(-1) == 0 {
					release(b)
				}
			}
		}()
	}

	pending := map[int]*parsedBlock{}
	next := 0
	var err error
	for b := range done {
		if err != nil {
			release(b) // draining after an error
			continue
		}
		pending[b.seq] = b
		for pb := pending[next]; pb != nil && err == nil; pb = pending[next] {
			delete(pending, next)
			next++
			err = p.encode(pb, merges)
		}
		if err != nil {
			for _, pb := range pending {
				release(pb)
			}
			clear(pending)
			close(quit)
		}
	}
	for _, m := range merges {
		close(m)
	}
	mwg.Wait()
	if err != nil {
		return err
	}
	if p.readErr != nil {
		return fmt.Errorf("%s: %w", p.name, p.readErr)
	}
	return nil
}

// encode hands the rows of block b (the next in input order) to the
// columns' merge goroutines, or returns the first error in it, in row
// order: an undecodable value, a ragged row or a malformed record. The
// rows before a ragged or malformed record are merged all the same (the
// table is dropped).
func (p *pipeline) encode(b *parsedBlock, merges []chan *parsedBlock) error {
	if b.badOK {
		err := fmt.Errorf("%s: line %d: column %d (%q): %w", p.name, p.base+int(b.lines[b.bad.row]), b.bad.col+1, p.header[b.bad.col], errUndecodable)
		p.release(b)
		return err
	}
	p.addLines(b)
	// The error is made before the merges start: the last one to finish
	// hands b back to the splitter.
	var err error
	if b.stop {
		line := p.base + b.stopLine
		if b.stopRagged >= 0 {
			err = raggedRow(p.name, line, b.stopRagged, p.header)
		} else {
			err = csvSyntaxError(p.name, b.buf[b.stopAt:b.n], p.delim, line)
		}
	} else {
		p.t.rows += b.rows
	}
	p.base += b.nl
	if len(merges) == 0 {
		p.release(b)
		return err
	}
	b.merging.Store(int32(len(merges)))
	for _, m := range merges {
		m <- b
	}
	return err
}

// addLines notes the source line of each row of b. While every row is the
// line after the one before (no blank lines, no quoted line breaks) the
// table keeps only the first row's line, as Table.CompactLines does,
// rather than eight bytes a row.
func (p *pipeline) addLines(b *parsedBlock) {
	t := p.t
	for r := 0; r < b.rows; r++ {
		line := p.base + int(b.lines[r])
		row := t.rows + r
		if t.Lines == nil {
			if row == 0 {
				t.lineBase = line
				continue
			}
			if line == t.lineBase+row {
				continue
			}
			lines := make([]int, row, row+(b.rows-r)+1024)
			for i := range lines {
				lines[i] = t.lineBase + i
			}
			t.Lines, t.lineBase = lines, 0
		}
		t.Lines = append(t.Lines, line)
	}
}
