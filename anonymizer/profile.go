package anonymizer

import (
	"bufio"
	"bytes"
	"context"
	crand "crypto/rand"
	"encoding/binary"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"unicode/utf8"
)

// ProfileOptions control Profile. The zero value takes the defaults.
type ProfileOptions struct {
	// Format of the input; "" takes it from the name's extension, else
	// sniffs it.
	Format Format
	// Delimiter of CSV input; 0 sniffs it.
	Delimiter rune
	// SampleRows is the most rows the sample keeps (default 10,000).
	SampleRows int
	// SampleBytes bounds the text the sample keeps (default 4 MiB): wide
	// rows make a smaller sample.
	SampleBytes int
	// Unpredictable draws the sample with a seed from crypto/rand. An
	// upload's sample is evidence (the Art. 36 content scan looks for
	// banned values in it), and with the fixed seed anyone who reads this
	// code knows which rows of a file it keeps and where to put rows it
	// will not. Without it the same input gives the same sample.
	Unpredictable bool
}

func (o ProfileOptions) sampleRows() int {
	if o.SampleRows > 0 {
		return o.SampleRows
	}
	return 10_000
}

func (o ProfileOptions) sampleBytes() int {
	if o.SampleBytes > 0 {
		return o.SampleBytes
	}
	return 4 << 20
}

// Profile is what one pass over a table learns without holding it: its
// format, row count and columns, and a uniform random sample of its rows
// (a reservoir, in input order, with their source lines) for detection.
type Profile struct {
	Format  Format
	Rows    int64
	Columns []string
	// Sample holds every row of a table no larger than the sample, else a
	// uniform sample of them (the same for the same input).
	Sample *Table
}

// ProfileTable reads a table from r in one streaming pass, checking every row as
// ReadTable does (ragged rows, undecodable bytes, bad JSON; the same
// one-line errors naming name, the line and the column), counting them and
// keeping a bounded sample: memory is the sample and the parser's buffers,
// whatever the size of the input. It stops with ctx's error when ctx ends.
//
// Parquet is profiled from an r that is also an io.ReaderAt with a Size
// (its schema and row count are in its footer; the sample is read from
// row groups spread over the file). An XLSX workbook is spooled to a
// temporary file and its first sheet streamed row by row (profileXLSX).
func ProfileTable(ctx context.Context, r io.Reader, name string, opt ProfileOptions) (*Profile, error) {
	if ra, ok := r.(sizedReaderAt); ok && isParquetFile(ra, name, opt.Format) {
		return profileParquet(ctx, ra, name, opt)
	}
	br := bufio.NewReaderSize(r, 1<<20)
	f := opt.Format
	if f == "" {
		f = FormatFromPath(name)
	}
	if f == "" {
		head, _ := br.Peek(512)
		f = sniffFormat(head)
	}
	var (
		p   *Profile
		err error
	)
	switch f {
	case FormatCSV, FormatTSV:
		delim := opt.Delimiter
		if delim == 0 && f == FormatTSV {
			delim = '\t'
		}
		p, err = profileDelimited(ctx, br, name, delim, opt)
	case FormatJSONL:
		p, err = profileJSONL(ctx, br, name, opt)
	case FormatXLSX:
		p, err = profileXLSX(ctx, br, name, opt)
	case FormatParquet:
		return nil, fmt.Errorf("%s: Parquet is profiled from a file, not a stream", name)
	default:
		return nil, fmt.Errorf("%s: unknown format %q (want csv, tsv, jsonl, xlsx or parquet)", name, f)
	}
	if err != nil {
		return nil, err
	}
	p.Format = f
	return p, nil
}

// reservoir keeps a uniform random sample of the rows seen (Algorithm R),
// bounded in rows and in bytes, with a fixed seed so that the same input
// gives the same sample (ProfileOptions.Unpredictable: a random seed).
type reservoir struct {
	rows     []sampledRow
	max      int
	maxBytes int
	bytes    int
	seen     int64
	rng      *rand.Rand
}

type sampledRow struct {
	n      int64 // the row's index in the input
	line   int
	fields []string
}

func newReservoir(opt ProfileOptions) *reservoir {
	seed1, seed2 := uint64(19), uint64(2026)
	if opt.Unpredictable {
		var b [16]byte
		crand.Read(b[:]) // never fails (crypto/rand.Read panics rather)
		seed1, seed2 = binary.LittleEndian.Uint64(b[:8]), binary.LittleEndian.Uint64(b[8:])
	}
	return &reservoir{max: opt.sampleRows(), maxBytes: opt.sampleBytes(), rng: rand.New(rand.NewPCG(seed1, seed2))}
}

// offer considers one row; fields is copied when kept.
func (s *reservoir) offer(fields []string, line int) {
	n := s.seen
	s.seen++
	slot := -1
	if len(s.rows) < s.max {
		slot = len(s.rows)
		s.rows = append(s.rows, sampledRow{})
	} else if j := s.rng.Int64N(s.seen); j < int64(len(s.rows)) {
		slot = int(j)
		s.bytes -= rowBytes(s.rows[slot].fields)
	}
	if slot < 0 {
		return
	}
	kept := make([]string, len(fields))
	for i, f := range fields {
		kept[i] = strings.Clone(f)
	}
	s.rows[slot] = sampledRow{n: n, line: line, fields: kept}
	s.bytes += rowBytes(kept)
	if s.bytes > s.maxBytes && len(s.rows) < s.max {
		s.max = len(s.rows) // wide rows: stop growing, keep replacing
	}
}

func rowBytes(fields []string) int {
	n := 16 * len(fields)
	for _, f := range fields {
		n += len(f)
	}
	return n
}

// table returns the sample in input order as a table under header.
func (s *reservoir) table(name string, header []string) (*Table, error) {
	slices.SortFunc(s.rows, func(a, b sampledRow) int { return int(a.n - b.n) })
	t, err := NewTable(name, header)
	if err != nil {
		return nil, err
	}
	for _, r := range s.rows {
		for len(r.fields) < len(header) { // JSON Lines: a key first seen later
			r.fields = append(r.fields, "")
		}
		if err := t.AppendRow(r.fields, r.line); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// profileDelimited is Profile of CSV/TSV: readSequential's checks, through
// encoding/csv, without a table.
func profileDelimited(ctx context.Context, br *bufio.Reader, name string, delim rune, opt ProfileOptions) (*Profile, error) {
	sample, atEOF, err := peekSample(br)
	if err != nil {
		return nil, fmt.Errorf("%s: read: %w", name, err)
	}
	enc, err := detectEncoding(name, sample, atEOF)
	if err != nil {
		enc = EncodingUTF8 // the field check names the first bad value
	}
	skipBOM(br)
	if delim == 0 {
		text := bytes.TrimPrefix(sample, utf8BOM)
		if enc == EncodingGB18030 {
			text = decodeGB(trimGBTail(sample))
		}
		delim = sniffDelimiter(text, atEOF)
	}
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
	header = slices.Clone(header)
	gb := enc == EncodingGB18030
	for i, h := range header {
		if !textValid(h, gb) {
			return nil, fmt.Errorf("%s: line 1: column %d: undecodable bytes in the header", name, i+1)
		}
		header[i] = cleanName(h)
	}
	if _, err := NewTable(name, header); err != nil {
		return nil, err
	}
	res := newReservoir(opt)
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvError(name, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(header) {
			return nil, raggedRow(name, line, len(rec), header)
		}
		for i, f := range rec {
			if !textValid(f, gb) {
				return nil, fmt.Errorf("%s: line %d: column %d (%q): %w", name, line, i+1, header[i], errUndecodable)
			}
		}
		res.offer(rec, line)
		if res.seen%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
	}
	t, err := res.table(name, header)
	if err != nil {
		return nil, err
	}
	return &Profile{Rows: res.seen, Columns: header, Sample: t}, nil
}

// textValid reports whether a field is text: valid UTF-8 and, after
// GB18030 decoding, without a replacement character.
func textValid(s string, gb bool) bool {
	return utf8.ValidString(s) && !(gb && strings.ContainsRune(s, utf8.RuneError))
}
