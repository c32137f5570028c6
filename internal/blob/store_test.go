package blob

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shujiao/shujiao/internal/durable"
)

func mustStore(tb testing.TB, dir string) *Store {
	tb.Helper()
	s, err := Open(dir)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

func mustRandom(tb testing.TB, n int) []byte {
	tb.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		tb.Fatal(err)
	}
	return b
}

func readAll(tb testing.TB, s *Store, sum string) ([]byte, error) {
	tb.Helper()
	rc, err := s.Open(sum)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

func TestPut_RoundTripsEverySizeAroundSegmentBoundaries(t *testing.T) {
	s := mustStore(t, t.TempDir())
	for _, n := range []int{0, 1, segmentSize - 1, segmentSize, segmentSize + 1, 3*segmentSize + 7, 2 * segmentSize} {
		plain := mustRandom(t, n)
		ref, err := s.Put(bytes.NewReader(plain))
		if err != nil {
			t.Fatalf("%d bytes: %v", n, err)
		}
		want := sha256.Sum256(plain)
		if got, want := ref.SHA256, hex.EncodeToString(want[:]); got != want {
			t.Errorf("%d bytes: name %s, want the plaintext's SHA-256 %s", n, got, want)
		}
		if ref.Size != int64(n) || !ref.Created {
			t.Errorf("%d bytes: ref %+v", n, ref)
		}
		got, err := readAll(t, s, ref.SHA256)
		if err != nil {
			t.Fatalf("%d bytes: read back: %v", n, err)
		}
		if !bytes.Equal(got, plain) {
			t.Errorf("%d bytes: read back %d different bytes", n, len(got))
		}
	}
}

func TestPut_StoresCiphertextNotPlaintext(t *testing.T) {
	s := mustStore(t, t.TempDir())
	plain := bytes.Repeat([]byte("110101199003074518,张三,13800138000\n"), 100)
	ref, err := s.Put(bytes.NewReader(plain))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(s.path(ref.SHA256))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte("110101199003074518")) || bytes.Contains(raw, []byte("张三")) {
		t.Error("the stored file holds plaintext")
	}
	if st, _ := os.Stat(KeyFile(filepath.Dir(s.dir))); st == nil || st.Mode().Perm() != 0o600 {
		t.Errorf("key file mode = %v, want 0600", st.Mode().Perm())
	}
}

func TestPut_SameContentIsStoredOnce(t *testing.T) {
	s := mustStore(t, t.TempDir())
	plain := mustRandom(t, 1000)
	a, err := s.Put(bytes.NewReader(plain))
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Put(bytes.NewReader(plain))
	if err != nil {
		t.Fatal(err)
	}
	if a.SHA256 != b.SHA256 || !a.Created || b.Created {
		t.Errorf("first %+v, second %+v: want the same name, created only once", a, b)
	}
}

type failingReader struct {
	r   io.Reader
	err error
}

func (f *failingReader) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err == io.EOF {
		return n, f.err
	}
	return n, err
}

func TestPut_AFailedReadLeavesNothingBehind(t *testing.T) {
	dir := t.TempDir()
	s := mustStore(t, dir)
	boom := errors.New("client went away")
	_, err := s.Put(&failingReader{r: bytes.NewReader(mustRandom(t, 3*segmentSize)), err: boom})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want the reader's error", err)
	}
	var files []string
	filepath.WalkDir(filepath.Join(dir, "blobs"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	if len(files) != 0 {
		t.Errorf("files left behind: %v", files)
	}
}

func TestOpen_TamperingIsDetected(t *testing.T) {
	plain := mustRandom(t, 2*segmentSize+100)
	cases := []struct {
		name   string
		tamper func(b []byte) []byte
	}{
		{"a flipped byte in the first segment", func(b []byte) []byte { b[len(magic)+saltSize+10] ^= 1; return b }},
		{"a flipped byte in the last segment", func(b []byte) []byte { b[len(b)-3] ^= 0x80; return b }},
		{"a flipped salt byte", func(b []byte) []byte { b[len(magic)] ^= 1; return b }},
		{"the file cut at a segment boundary", func(b []byte) []byte { return b[:len(magic)+saltSize+2*(segmentSize+tagSize)] }},
		{"the last segment dropped", func(b []byte) []byte { return b[:len(b)-(100+tagSize)] }},
		{"segments swapped", func(b []byte) []byte {
			h := len(magic) + saltSize
			seg := segmentSize + tagSize
			first := append([]byte(nil), b[h:h+seg]...)
			copy(b[h:h+seg], b[h+seg:h+2*seg])
			copy(b[h+seg:h+2*seg], first)
			return b
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name+" fails with ErrCorrupt", func(t *testing.T) {
			s := mustStore(t, t.TempDir())
			ref, err := s.Put(bytes.NewReader(plain))
			if err != nil {
				t.Fatal(err)
			}
			p := s.path(ref.SHA256)
			raw, _ := os.ReadFile(p)
			if err := os.WriteFile(p, tc.tamper(raw), 0o600); err != nil {
				t.Fatal(err)
			}
			if _, err := readAll(t, s, ref.SHA256); !errors.Is(err, ErrCorrupt) {
				t.Errorf("err = %v, want ErrCorrupt", err)
			}
		})
	}
}

func TestOpen_WrongKeyFails(t *testing.T) {
	dir := t.TempDir()
	s := mustStore(t, dir)
	ref, err := s.Put(bytes.NewReader([]byte("secret rows")))
	if err != nil {
		t.Fatal(err)
	}
	other := &Store{dir: s.dir, key: mustRandom(t, 32)}
	if _, err := readAll(t, other, ref.SHA256); !errors.Is(err, ErrCorrupt) {
		t.Errorf("err = %v, want ErrCorrupt under another key", err)
	}
	again := mustStore(t, dir)
	if got, err := readAll(t, again, ref.SHA256); err != nil || string(got) != "secret rows" {
		t.Errorf("reopened store reads %q, %v: the key must persist", got, err)
	}
}

func TestOpen_MissingOrMalformedNameIsNotFound(t *testing.T) {
	s := mustStore(t, t.TempDir())
	for _, name := range []string{"../../etc/passwd", "", hex.EncodeToString(make([]byte, 32))} {
		if _, err := s.Open(name); !errors.Is(err, ErrNotFound) {
			t.Errorf("Open(%q) = %v, want ErrNotFound", name, err)
		}
	}
}

// A blob's name must survive a power loss once Put returned (the caller
// records it at once: a delivery marked ready, a dataset stored): the file
// is synced, then the directories it was renamed and created in.
func TestPut_SyncsTheDirectoriesOfANewBlob(t *testing.T) {
	s := mustStore(t, t.TempDir())
	var synced []string
	s.sync = func(dir string) error {
		synced = append(synced, dir)
		return durable.SyncDir(dir)
	}
	ref, err := s.Put(bytes.NewReader([]byte("第一份")))
	if err != nil {
		t.Fatal(err)
	}
	dst := s.path(ref.SHA256)
	fan2, fan1 := filepath.Dir(dst), filepath.Dir(filepath.Dir(dst))
	// created: the two fan-out directories (their parents synced), then the rename (its directory synced)
	want := []string{s.dir, fan1, fan2}
	if len(synced) != len(want) || synced[0] != want[0] || synced[1] != want[1] || synced[2] != want[2] {
		t.Errorf("synced %v, want %v", synced, want)
	}
	// the same blob again: nothing renamed, nothing to sync
	synced = nil
	if _, err := s.Put(bytes.NewReader([]byte("第一份"))); err != nil {
		t.Fatal(err)
	}
	if len(synced) != 0 {
		t.Errorf("a blob already stored synced %v", synced)
	}
	// a directory that cannot be synced fails the Put: the caller must not record it
	s.sync = func(string) error { return errors.New("input/output error") }
	if _, err := s.Put(bytes.NewReader([]byte("第二份"))); err == nil || !strings.Contains(err.Error(), "sync directory") && !strings.Contains(err.Error(), "create directory") {
		t.Errorf("Put with a failing directory sync: %v, want an error", err)
	}
}
