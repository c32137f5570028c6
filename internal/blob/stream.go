package blob

import (
	"bufio"
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"

	"golang.org/x/crypto/hkdf"
)

const (
	magic       = "SJB1"
	saltSize    = 32
	segmentSize = 64 << 10
	tagSize     = 16
)

// ErrCorrupt is returned (wrapped) when a stored blob fails to decrypt or
// its plaintext does not hash to its name: it was changed, cut short or
// encrypted under another key.
var ErrCorrupt = errors.New("blob: corrupt or tampered")

// segmentAEAD derives the AES-256-GCM of one file from the store key and
// the file's salt.
func segmentAEAD(key, salt []byte) (cipher.AEAD, error) {
	fileKey := make([]byte, 32)
	if _, err := io.ReadFull(hkdf.New(sha256.New, key, salt, []byte("shujiao blob v1")), fileKey); err != nil {
		return nil, fmt.Errorf("blob: derive key: %w", err)
	}
	block, err := aes.NewCipher(fileKey)
	if err != nil {
		return nil, fmt.Errorf("blob: cipher: %w", err)
	}
	return cipher.NewGCM(block)
}

// nonce returns the STREAM nonce of segment i: the counter in the first
// eleven bytes, then 1 for the final segment and 0 otherwise.
func nonce(i uint64, final bool) []byte {
	n := make([]byte, 12)
	binary.BigEndian.PutUint64(n[3:11], i)
	if final {
		n[11] = 1
	}
	return n
}

// sealer encrypts a plaintext stream segment by segment into w.
type sealer struct {
	w    io.Writer
	aead cipher.AEAD
	buf  []byte
	out  []byte
	seq  uint64
}

func newSealer(w io.Writer, key, salt []byte) (*sealer, error) {
	aead, err := segmentAEAD(key, salt)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(append([]byte(magic), salt...)); err != nil {
		return nil, err
	}
	return &sealer{w: w, aead: aead, buf: make([]byte, 0, segmentSize), out: make([]byte, 0, segmentSize+tagSize)}, nil
}

// Write buffers p and seals every full segment except the last one, which
// Close seals with the final flag.
func (s *sealer) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		if len(s.buf) == segmentSize {
			if err := s.flush(false); err != nil {
				return 0, err
			}
		}
		c := copy(s.buf[len(s.buf):segmentSize], p)
		s.buf = s.buf[:len(s.buf)+c]
		p = p[c:]
	}
	return n, nil
}

func (s *sealer) flush(final bool) error {
	s.out = s.aead.Seal(s.out[:0], nonce(s.seq, final), s.buf, nil)
	s.seq++
	s.buf = s.buf[:0]
	_, err := s.w.Write(s.out)
	return err
}

// Close seals the final segment (possibly empty).
func (s *sealer) Close() error { return s.flush(true) }

// opener decrypts a stream made by sealer and checks the plaintext's
// SHA-256 against want when it reaches the end.
type opener struct {
	r     *bufio.Reader
	c     io.Closer
	aead  cipher.AEAD
	seq   uint64
	in    []byte
	plain []byte
	buf   []byte
	done  bool
	sum   interface {
		io.Writer
		Sum([]byte) []byte
	}
	want string
	err  error
}

func newOpener(rc io.ReadCloser, key []byte, want string) (*opener, error) {
	r := bufio.NewReaderSize(rc, segmentSize+tagSize+1)
	head := make([]byte, len(magic)+saltSize)
	if _, err := io.ReadFull(r, head); err != nil || string(head[:len(magic)]) != magic {
		return nil, fmt.Errorf("%w: %s: bad header", ErrCorrupt, want)
	}
	aead, err := segmentAEAD(key, head[len(magic):])
	if err != nil {
		return nil, err
	}
	return &opener{r: r, c: rc, aead: aead, in: make([]byte, segmentSize+tagSize), plain: make([]byte, 0, segmentSize), sum: sha256.New(), want: want}, nil
}

// Read returns decrypted plaintext; at the end it returns io.EOF only when
// the final segment authenticated and the plaintext hashes to the name.
func (o *opener) Read(p []byte) (int, error) {
	for len(o.buf) == 0 {
		if o.err != nil {
			return 0, o.err
		}
		if o.done {
			o.err = o.finish()
			continue
		}
		o.err = o.next()
	}
	n := copy(p, o.buf)
	o.buf = o.buf[n:]
	return n, nil
}

func (o *opener) next() error {
	n, err := io.ReadFull(o.r, o.in)
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		o.done = true
	case err != nil:
		return fmt.Errorf("blob: read %s: %w", o.want, err)
	default:
		if _, perr := o.r.Peek(1); errors.Is(perr, io.EOF) {
			o.done = true
		}
	}
	if n < tagSize {
		return fmt.Errorf("%w: %s: truncated", ErrCorrupt, o.want)
	}
	pt, err := o.aead.Open(o.plain[:0], nonce(o.seq, o.done), o.in[:n], nil)
	if err != nil {
		return fmt.Errorf("%w: %s: segment %d does not authenticate", ErrCorrupt, o.want, o.seq)
	}
	o.seq++
	o.sum.Write(pt)
	o.buf = pt
	if o.done && len(pt) == 0 {
		return o.finish()
	}
	return nil
}

func (o *opener) finish() error {
	if got := hex.EncodeToString(o.sum.Sum(nil)); got != o.want {
		return fmt.Errorf("%w: %s: plaintext hashes to %s", ErrCorrupt, o.want, got)
	}
	return io.EOF
}

// Close closes the underlying file.
func (o *opener) Close() error { return o.c.Close() }
