package blob

import (
	"crypto/cipher"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sync"
)

// File is random access to the plaintext of a stored blob, for formats
// read from their end (Parquet keeps its schema in a footer). Each
// segment read is decrypted and authenticated on its own: a changed,
// moved or cut segment is an error wrapping ErrCorrupt, and the last
// segment must carry the final flag, so a file cut at a segment boundary
// is refused too. The SHA-256 of the whole plaintext is not recomputed
// (Open's reader does that). A File is safe for concurrent use.
type File struct {
	f    *os.File
	aead cipher.AEAD
	sum  string
	size int64 // plaintext bytes
	segs int64 // segments, the last one final

	mu    sync.Mutex
	cache [4]cachedSegment
	clock int
}

type cachedSegment struct {
	seq   int64
	plain []byte
	valid bool
}

// OpenFile opens blob sum for random access. It returns an error wrapping
// ErrNotFound when there is no such blob and ErrCorrupt when its header
// or length cannot be those of a stored blob.
func (s *Store) OpenFile(sum string) (*File, error) {
	if !validName(sum) {
		return nil, fmt.Errorf("%w: %q is not a SHA-256", ErrNotFound, sum)
	}
	f, err := os.Open(s.path(sum))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, sum)
	}
	if err != nil {
		return nil, fmt.Errorf("blob: open %s: %w", sum, err)
	}
	bf, err := newFile(f, s.key, sum)
	if err != nil {
		f.Close()
		return nil, err
	}
	return bf, nil
}

func newFile(f *os.File, key []byte, sum string) (*File, error) {
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("blob: stat %s: %w", sum, err)
	}
	head := make([]byte, len(magic)+saltSize)
	if _, err := f.ReadAt(head, 0); err != nil || string(head[:len(magic)]) != magic {
		return nil, fmt.Errorf("%w: %s: bad header", ErrCorrupt, sum)
	}
	body := st.Size() - int64(len(head))
	const seg = segmentSize + tagSize
	segs := (body + seg - 1) / seg
	if segs == 0 || body-(segs-1)*seg < tagSize {
		return nil, fmt.Errorf("%w: %s: truncated", ErrCorrupt, sum)
	}
	aead, err := segmentAEAD(key, head[len(magic):])
	if err != nil {
		return nil, err
	}
	return &File{f: f, aead: aead, sum: sum, size: body - segs*tagSize, segs: segs}, nil
}

// Size returns the plaintext size in bytes.
func (b *File) Size() int64 { return b.size }

// ReadAt reads plaintext at off, as io.ReaderAt does.
func (b *File) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, fmt.Errorf("blob: read %s: negative offset", b.sum)
	}
	n := 0
	for n < len(p) && off < b.size {
		seq := off / segmentSize
		plain, err := b.segment(seq)
		if err != nil {
			return n, err
		}
		c := copy(p[n:], plain[off-seq*segmentSize:])
		n += c
		off += int64(c)
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// segment returns the decrypted segment seq, from the cache when there.
func (b *File) segment(seq int64) ([]byte, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, c := range b.cache {
		if c.valid && c.seq == seq {
			return c.plain, nil
		}
	}
	const seg = segmentSize + tagSize
	in := make([]byte, seg)
	n, err := b.f.ReadAt(in, int64(len(magic)+saltSize)+seq*seg)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("blob: read %s: %w", b.sum, err)
	}
	final := seq == b.segs-1
	plain, err := b.aead.Open(nil, nonce(uint64(seq), final), in[:n], nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: segment %d does not authenticate", ErrCorrupt, b.sum, seq)
	}
	slot := &b.cache[b.clock%len(b.cache)]
	b.clock++
	*slot = cachedSegment{seq: seq, plain: plain, valid: true}
	return plain, nil
}

// Close closes the underlying file.
func (b *File) Close() error { return b.f.Close() }

// OpenReader opens blob sum for reading: the streaming reader of Open,
// or, when random is true, a reader over OpenFile that is also an
// io.ReaderAt with a Size, for formats read from their end (Parquet).
func (s *Store) OpenReader(sum string, random bool) (io.ReadCloser, error) {
	if !random {
		return s.Open(sum)
	}
	f, err := s.OpenFile(sum)
	if err != nil {
		return nil, err
	}
	return &fileReader{SectionReader: io.NewSectionReader(f, 0, f.Size()), f: f}, nil
}

// fileReader reads a File from its start, and at random.
type fileReader struct {
	*io.SectionReader
	f *File
}

func (r *fileReader) Close() error { return r.f.Close() }
