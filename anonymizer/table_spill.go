package anonymizer

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"unsafe"
)

// Spill keeps tables' dictionary codes beyond memory (issue 19 item 4): in
// memory-mapped temporary files, removed as soon as they are mapped (so
// that nothing is left behind, whatever ends the process). The codes stay
// ordinary []int32 slices for every reader of the table; Trim gives their
// resident pages back to the kernel, which keeps them in its page cache
// while memory allows and writes them to the file when it does not, and
// faults them back in on the next access. A run that trims as it goes
// (every pass over the rows streams through the codes) holds only the
// pages it is touching.
//
// The files must be on a disk: on a tmpfs the pages stay in memory. A Spill
// is safe for concurrent use.
type Spill struct {
	dir  string
	mu   sync.Mutex
	maps [][]byte
	size int64
}

// NewSpill returns a spill whose files go in dir ("" is os.TempDir()).
func NewSpill(dir string) *Spill {
	if dir == "" {
		dir = os.TempDir()
	}
	return &Spill{dir: dir}
}

// Dir returns the directory of the spill's files.
func (s *Spill) Dir() string { return s.dir }

// Bytes returns the size of the codes spilled so far.
func (s *Spill) Bytes() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.size
}

// alloc returns n zeroed codes in a new mapped file.
func (s *Spill) alloc(n int) ([]int32, error) {
	if n == 0 {
		return []int32{}, nil
	}
	b, err := s.allocBytes(int64(n) * 4)
	if err != nil {
		return nil, err
	}
	return unsafe.Slice((*int32)(unsafe.Pointer(&b[0])), n), nil
}

// allocBytes returns size zeroed bytes (size > 0) in a new mapped file,
// removed from its directory at once.
func (s *Spill) allocBytes(size int64) ([]byte, error) {
	f, err := os.CreateTemp(s.dir, "shujiao-spill-*")
	if err != nil {
		return nil, fmt.Errorf("spill: %w", err)
	}
	defer f.Close()
	if err := os.Remove(f.Name()); err != nil {
		return nil, fmt.Errorf("spill: %w", err)
	}
	// The blocks are reserved now: a sparse file on a disk that fills up
	// would fault (SIGBUS) at the first write to a page, not return an
	// error. A file system without fallocate gets a sparse file.
	if err := reserveFile(f, size); err != nil {
		return nil, fmt.Errorf("spill: %s: reserve %d bytes: %w", s.dir, size, err)
	}
	b, err := mapFile(f, size)
	if err != nil {
		return nil, fmt.Errorf("spill: mmap %d bytes: %w", size, err)
	}
	s.mu.Lock()
	s.maps = append(s.maps, b)
	s.size += size
	s.mu.Unlock()
	return b, nil
}

// Table moves the codes of every column of t into the spill, and makes
// the tables derived from t (the release) keep theirs there too. The heap
// slices are dropped, so the collector can return them. It returns an
// error when a file cannot be made or mapped (t is then unchanged in the
// columns not yet moved). Not safe for concurrent use with other uses of t.
func (s *Spill) Table(t *Table) error {
	for _, c := range t.Columns {
		if c.skipped || len(c.Codes) == 0 {
			continue
		}
		codes, err := s.alloc(len(c.Codes))
		if err != nil {
			return err
		}
		copy(codes, c.Codes)
		c.Codes = codes
		s.Trim() // one column resident at a time
	}
	t.spill = s
	return nil
}

// Trim gives back the resident pages of the spilled codes; their contents
// stay (in the page cache or the file). Safe for concurrent use with reads
// and writes of the codes.
func (s *Spill) Trim() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, b := range s.maps {
		// MADV_DONTNEED on a shared file mapping drops the pages from the
		// process, not the data: a later access maps the file's page again.
		dropPages(b)
	}
}

// free unmaps the file whose mapping starts at p and returns true; it
// returns false (and does nothing) when no mapping of s starts there.
func (s *Spill) free(p unsafe.Pointer) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, b := range s.maps {
		if unsafe.Pointer(&b[0]) != p {
			continue
		}
		_ = unmapFile(b)
		s.size -= int64(len(b))
		s.maps[i] = s.maps[len(s.maps)-1]
		s.maps[len(s.maps)-1] = nil
		s.maps = s.maps[:len(s.maps)-1]
		return true
	}
	return false
}

// Close unmaps every file of the spill; the codes of the tables it holds
// must not be used afterwards. It returns the first unmapping error.
func (s *Spill) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var errs []error
	for _, b := range s.maps {
		if err := unmapFile(b); err != nil {
			errs = append(errs, fmt.Errorf("spill: munmap: %w", err))
		}
	}
	s.maps, s.size = nil, 0
	return errors.Join(errs...)
}

// newCodes returns n zeroed codes for a table derived from t: in t's
// spill when it has one (falling back to the heap if the spill fails).
func (t *Table) newCodes(n int) []int32 {
	if t.spill != nil {
		if c, err := t.spill.alloc(n); err == nil {
			return c
		}
	}
	return hugePages(make([]int32, n))
}
