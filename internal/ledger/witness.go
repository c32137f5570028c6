package ledger

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
)

// HeadFile is an append-only file of signed tree heads, one JSON object per
// line (JSON Lines), kept outside PostgreSQL: a witness that someone with
// database access cannot rewrite. A wiped, rolled-back or forked ledger no
// longer matches the heads it holds. A HeadFile is safe for concurrent use
// within one process; several processes may append to one file (each line
// is one write on a file opened O_APPEND).
type HeadFile struct {
	path string
	mu   sync.Mutex
	last uint64 // largest tree size in the file, to skip repeats
	any  bool   // the file holds a head
	read bool   // last and any were read from the file
}

// NewHeadFile returns the witness file at path (created, with its
// directory, on the first Append).
func NewHeadFile(path string) *HeadFile { return &HeadFile{path: path} }

// Path returns the file's path.
func (f *HeadFile) Path() string { return f.path }

// Append writes h as one line and syncs it to disk, unless the file
// already holds a head over as many leaves or more. It returns the wrapped
// file system error.
func (f *HeadFile) Append(h Head) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.read {
		heads, err := ReadHeads(f.path)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("witness tree head %d: %w", h.Size, err)
		}
		for _, old := range heads {
			f.last, f.any = max(f.last, old.Size), true
		}
		f.read = true
	}
	if f.any && h.Size <= f.last {
		return nil
	}
	line, err := json.Marshal(h)
	if err != nil {
		return fmt.Errorf("witness tree head %d: %w", h.Size, err)
	}
	if err := os.MkdirAll(filepath.Dir(f.path), 0o755); err != nil {
		return fmt.Errorf("witness tree head %d: %w", h.Size, err)
	}
	file, err := os.OpenFile(f.path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("witness tree head %d: %w", h.Size, err)
	}
	_, err = file.Write(append(line, '\n'))
	if err == nil {
		err = file.Sync()
	}
	if cerr := file.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("witness tree head %d: %w", h.Size, err)
	}
	f.last, f.any = h.Size, true
	return nil
}

// ReadHeads reads the heads in the file at path: JSON Lines as HeadFile
// writes them, or one head as saved from GET /v1/ledger/sth (any sequence
// of JSON objects). It returns an error wrapping os.ErrNotExist when there
// is no file, or one naming the head that does not parse.
func ReadHeads(path string) ([]Head, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	heads, err := DecodeHeads(bufio.NewReader(file))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return heads, nil
}

// DecodeHeads reads a sequence of JSON tree heads from r. It returns an
// error naming the first head (counting from 1) that does not parse.
func DecodeHeads(r io.Reader) ([]Head, error) {
	dec := json.NewDecoder(r)
	var heads []Head
	for {
		var h Head
		err := dec.Decode(&h)
		if errors.Is(err, io.EOF) {
			return heads, nil
		}
		if err != nil {
			return nil, fmt.Errorf("head %d: %w", len(heads)+1, err)
		}
		heads = append(heads, h)
	}
}
