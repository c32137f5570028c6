package anonymizer

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// readBlockSize is how many bytes of delimited text one parse worker takes
// at a time; a block ends at a line boundary outside quotes.
const readBlockSize = 1 << 20

// maxQuotedSpan bounds how far a block grows while looking for a line end
// outside quotes: a quoted field longer than this (or a stray quote, which
// is an error anyway) cuts the block at its last line end.
const maxQuotedSpan = 64 << 20

// splitter cuts delimited text into blocks of whole records, so that blocks
// can be parsed independently: a block ends just after a line feed that is
// outside quotes. Quote parity is exact for well-formed CSV, where every
// quote either opens or closes a quoted field or is doubled inside one; at
// the first quote that is neither, encoding/csv reports an error, and that
// error lies before any boundary it may have displaced.
type splitter struct {
	r     io.Reader
	size  int // bytes per block
	carry []byte
	eof   bool
}

// next returns the next block in a buffer taken from free (or a new one),
// and last = true for the final block; io.EOF when no bytes are left.
func (s *splitter) next(buf []byte) (block []byte, last bool, err error) {
	if s.eof && len(s.carry) == 0 {
		return nil, true, io.EOF
	}
	size := s.size
	if cap(buf) < size {
		buf = make([]byte, 0, size)
	}
	buf = append(buf[:0], s.carry...)
	s.carry = s.carry[:0]
	for {
		if !s.eof {
			if len(buf) == cap(buf) {
				buf = append(buf, 0)[:len(buf)]
			}
			n, err := io.ReadFull(s.r, buf[len(buf):cap(buf)])
			buf = buf[:len(buf)+n]
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				s.eof = true
			} else if err != nil {
				return nil, false, fmt.Errorf("read: %w", err)
			}
		}
		if s.eof {
			return buf, true, nil
		}
		cut := recordBoundary(buf)
		if cut < 0 && len(buf) >= maxQuotedSpan {
			cut = bytes.LastIndexByte(buf, '\n') + 1
		}
		if cut > 0 {
			s.carry = append(s.carry, buf[cut:]...)
			return buf[:cut], false, nil
		}
		// No line end outside quotes yet: read on into a larger buffer.
		buf = append(buf, make([]byte, cap(buf))...)[:len(buf)]
	}
}

// first returns the first block that holds more than line ends (the
// header's), joining the blocks before it, and last = true when it is the
// final one.
func (s *splitter) first() (block []byte, last bool, err error) {
	block, last, err = s.next(nil)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, false, err
	}
	for !last && onlyLineEnds(block) { // the header is in a later block
		more, l, err := s.next(nil)
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, false, err
		}
		block, last = append(block, more...), l || errors.Is(err, io.EOF)
	}
	return block, last, nil
}

// recordBoundary returns the offset just after the last line feed of b
// that is outside quotes (b starting outside quotes), or -1.
func recordBoundary(b []byte) int {
	end := bytes.LastIndexByte(b, '\n')
	if end < 0 {
		return -1
	}
	quotes := bytes.Count(b[:end], quote)
	for quotes%2 != 0 {
		prev := bytes.LastIndexByte(b[:end], '\n')
		if prev < 0 {
			return -1
		}
		quotes -= bytes.Count(b[prev:end], quote)
		end = prev
	}
	return end + 1
}

var quote = []byte{'"'}
