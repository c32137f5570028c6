package blob

import (
	"bytes"
	"errors"
	"io"
	"os"
	"testing"
)

func TestOpenFile_ReadsAnyRangeAroundSegmentBoundaries(t *testing.T) {
	s := mustStore(t, t.TempDir())
	for _, n := range []int{0, 1, segmentSize, segmentSize + 1, 3*segmentSize + 7, 2 * segmentSize} {
		plain := mustRandom(t, n)
		ref, err := s.Put(bytes.NewReader(plain))
		if err != nil {
			t.Fatal(err)
		}
		f, err := s.OpenFile(ref.SHA256)
		if err != nil {
			t.Fatalf("%d bytes: %v", n, err)
		}
		if f.Size() != int64(n) {
			t.Errorf("%d bytes: size %d", n, f.Size())
		}
		for _, r := range [][2]int{{0, n}, {n / 3, n / 2}, {segmentSize - 3, segmentSize + 5}, {n - 1, n}} {
			lo, hi := max(0, min(r[0], n)), max(0, min(r[1], n))
			if lo > hi {
				continue
			}
			got := make([]byte, hi-lo)
			if _, err := f.ReadAt(got, int64(lo)); err != nil && !(errors.Is(err, io.EOF) && hi == n) {
				t.Fatalf("%d bytes: read [%d,%d): %v", n, lo, hi, err)
			}
			if !bytes.Equal(got, plain[lo:hi]) {
				t.Errorf("%d bytes: [%d,%d) differs", n, lo, hi)
			}
		}
		if k, err := f.ReadAt(make([]byte, 2), int64(n)-1); n > 0 && (k != 1 || !errors.Is(err, io.EOF)) {
			t.Errorf("%d bytes: a read past the end: %d, %v; want 1, EOF", n, k, err)
		}
		f.Close()
	}
}

func TestOpenFile_AFlippedByteOrACutFileIsCorrupt(t *testing.T) {
	s := mustStore(t, t.TempDir())
	ref, err := s.Put(bytes.NewReader(mustRandom(t, 3*segmentSize)))
	if err != nil {
		t.Fatal(err)
	}
	p := s.path(ref.SHA256)
	orig, _ := os.ReadFile(p)
	flipped := append([]byte{}, orig...)
	flipped[len(magic)+saltSize+segmentSize+100] ^= 1
	cut := orig[:len(magic)+saltSize+2*(segmentSize+tagSize)]
	for name, b := range map[string][]byte{"flipped": flipped, "cut at a segment boundary": cut} {
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		f, err := s.OpenFile(ref.SHA256)
		if err == nil {
			_, err = f.ReadAt(make([]byte, 3*segmentSize), 0)
			f.Close()
		}
		if !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: err %v, want ErrCorrupt", name, err)
		}
	}
}
