package blob

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// FuzzOpen writes arbitrary bytes where a blob should be and reads it.
// Invariants: no panic, and a file that is not exactly what Put wrote for
// that name never reads to io.EOF — the reader ends in ErrCorrupt.
func FuzzOpen(f *testing.F) {
	dir := f.TempDir()
	s, err := Open(dir)
	if err != nil {
		f.Fatal(err)
	}
	plain := []byte("身份证号,姓名\n110101199003074518,张三\n")
	ref, err := s.Put(bytes.NewReader(plain))
	if err != nil {
		f.Fatal(err)
	}
	good, err := os.ReadFile(s.path(ref.SHA256))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(good[:len(good)-1])
	f.Add([]byte(magic))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		if bytes.Equal(data, good) {
			return
		}
		sum := sha256.Sum256(plain)
		name := hex.EncodeToString(sum[:])
		p := filepath.Join(t.TempDir(), "x")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		fh, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		o, err := newOpener(fh, s.key, name)
		if err != nil {
			fh.Close()
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("open: %v, want ErrCorrupt", err)
			}
			return
		}
		defer o.Close()
		if _, err := io.ReadAll(o); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("read of altered bytes ended with %v, want ErrCorrupt", err)
		}
	})
}

func BenchmarkPut(b *testing.B) {
	s, err := Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	data := make([]byte, 8<<20)
	for i := range data {
		data[i] = byte(i * 31)
	}
	b.SetBytes(int64(len(data)))
	for i := 0; b.Loop(); i++ {
		data[0] = byte(i) // a new blob each time
		if _, err := s.Put(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOpen(b *testing.B) {
	s, err := Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	data := make([]byte, 8<<20)
	ref, err := s.Put(bytes.NewReader(data))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		rc, err := s.Open(ref.SHA256)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.Copy(io.Discard, rc); err != nil {
			b.Fatal(err)
		}
		rc.Close()
	}
}
