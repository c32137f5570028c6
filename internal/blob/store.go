package blob

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/shujiao/shujiao/internal/durable"
)

// ErrNotFound is returned (wrapped) by Open when no blob has that name.
var ErrNotFound = errors.New("blob: not found")

// Store is a content-addressed, encrypted file store. It is safe for
// concurrent use by several goroutines and several processes sharing the
// data directory.
type Store struct {
	dir string
	key []byte
	// sync makes a directory's entries durable (nil: durable.SyncDir;
	// tests record it).
	sync func(dir string) error
}

// Ref names a stored blob: the SHA-256 of its plaintext (64 hex digits)
// and its plaintext size in bytes. Created is true when this Put wrote the
// file and false when an identical blob was already stored.
type Ref struct {
	SHA256  string
	Size    int64
	Created bool
}

// Open opens the store under dataDir: blobs in <data-dir>/blobs, the key
// in <data-dir>/keys/blob.key (created on first use). It returns an error
// when the directories cannot be made or the key is unreadable.
func Open(dataDir string) (*Store, error) {
	key, err := loadOrCreateKey(KeyFile(dataDir))
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(dataDir, "blobs")
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o700); err != nil {
		return nil, fmt.Errorf("blob: create store: %w", err)
	}
	return &Store{dir: dir, key: key}, nil
}

// path returns where the blob named sum lives: blobs/ab/cd/abcd….
func (s *Store) path(sum string) string {
	return filepath.Join(s.dir, sum[:2], sum[2:4], sum)
}

// validName reports whether sum is 64 lower-case hex digits.
func validName(sum string) bool {
	if len(sum) != 64 {
		return false
	}
	for _, c := range sum {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// Put streams r into the store and returns its name. The plaintext is
// encrypted into a temporary file that is renamed into place only after r
// reached EOF and the file was synced; on any error (including one r
// returns, such as a size limit) the temporary file is removed and nothing
// is left behind. Put of content already stored keeps the stored file.
func (s *Store) Put(r io.Reader) (Ref, error) {
	tmp, err := os.CreateTemp(filepath.Join(s.dir, "tmp"), "put-*")
	if err != nil {
		return Ref{}, fmt.Errorf("blob: create temporary file: %w", err)
	}
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	salt := make([]byte, saltSize)
	if _, err := rand.Read(salt); err != nil {
		return Ref{}, fmt.Errorf("blob: salt: %w", err)
	}
	seal, err := newSealer(tmp, s.key, salt)
	if err != nil {
		return Ref{}, fmt.Errorf("blob: write: %w", err)
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(seal, h), r)
	if err != nil {
		return Ref{}, fmt.Errorf("blob: write: %w", err)
	}
	if err := seal.Close(); err != nil {
		return Ref{}, fmt.Errorf("blob: write: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return Ref{}, fmt.Errorf("blob: sync: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return Ref{}, fmt.Errorf("blob: close: %w", err)
	}
	ref := Ref{SHA256: hex.EncodeToString(h.Sum(nil)), Size: n}
	dst := s.path(ref.SHA256)
	if _, err := os.Stat(dst); err == nil {
		os.Remove(tmp.Name())
		ok = true
		return ref, nil
	}
	if err := s.mkdirDurable(filepath.Dir(dst)); err != nil {
		return Ref{}, fmt.Errorf("blob: create directory: %w", err)
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return Ref{}, fmt.Errorf("blob: rename into place: %w", err)
	}
	ok = true
	// The file's fsync does not cover its name: without the directory's,
	// a power loss after the caller recorded the blob (a delivery marked
	// ready, a dataset stored) could leave the record and no file.
	if err := s.syncEntries(filepath.Dir(dst)); err != nil {
		return Ref{}, fmt.Errorf("blob: sync directory: %w", err)
	}
	ref.Created = true
	return ref, nil
}

// mkdirDurable creates dir (under the store) and the fan-out directories
// above it that are missing, syncing the parent of each one created so
// that the new entries survive a power loss.
func (s *Store) mkdirDurable(dir string) error {
	if _, err := os.Stat(dir); err == nil {
		return nil
	}
	parent := filepath.Dir(dir)
	if parent != s.dir && len(parent) > len(s.dir) {
		if err := s.mkdirDurable(parent); err != nil {
			return err
		}
	}
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	return s.syncEntries(parent)
}

// syncEntries syncs dir with the store's sync (durable.SyncDir unless a
// test set another).
func (s *Store) syncEntries(dir string) error {
	if s.sync != nil {
		return s.sync(dir)
	}
	return durable.SyncDir(dir)
}

// Open returns a reader of the plaintext of blob sum. The reader returns an
// error wrapping ErrCorrupt instead of io.EOF when the file was altered; a
// caller must read to EOF before trusting what it read. Open returns an
// error wrapping ErrNotFound when there is no such blob.
func (s *Store) Open(sum string) (io.ReadCloser, error) {
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
	o, err := newOpener(f, s.key, sum)
	if err != nil {
		f.Close()
		return nil, err
	}
	return o, nil
}

// Exists reports whether blob sum is stored.
func (s *Store) Exists(sum string) bool {
	if !validName(sum) {
		return false
	}
	_, err := os.Stat(s.path(sum))
	return err == nil
}

// Delete removes blob sum; deleting a missing blob is not an error. Callers
// delete only blobs that no record references (for example the blob of an
// upload whose database row was never committed, when Put created it).
func (s *Store) Delete(sum string) error {
	if !validName(sum) {
		return fmt.Errorf("%w: %q is not a SHA-256", ErrNotFound, sum)
	}
	if err := os.Remove(s.path(sum)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("blob: delete %s: %w", sum, err)
	}
	return nil
}
