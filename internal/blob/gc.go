package blob

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Sweep is what RemoveStaleTemp or Collect removed.
type Sweep struct {
	Files int
	Bytes int64
	Names []string // the blobs Collect removed (not the temporary files)
}

// RemoveStaleTemp removes the temporary files of Puts that never finished
// (the process was killed while writing) and that nothing has written for
// olderThan: a Put in progress in another process keeps its file fresh. It
// returns what it removed, or the first error walking or removing.
func (s *Store) RemoveStaleTemp(olderThan time.Duration, now time.Time) (Sweep, error) {
	var sw Sweep
	dir := filepath.Join(s.dir, "tmp")
	entries, err := os.ReadDir(dir)
	if err != nil {
		return sw, fmt.Errorf("blob: read %s: %w", dir, err)
	}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || !info.Mode().IsRegular() || now.Sub(info.ModTime()) < olderThan {
			continue
		}
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return sw, fmt.Errorf("blob: remove stale temporary file: %w", err)
		}
		sw.Files++
		sw.Bytes += info.Size()
	}
	return sw, nil
}

// Collect removes the stored blobs that no record references
// (referenced(sum) false) and that were written more than olderThan ago —
// the grace period covers a blob whose record is still being committed. A
// release left by a job interrupted between storing it and recording it is
// such a blob. It returns what it removed, or the first error.
func (s *Store) Collect(referenced func(sum string) bool, olderThan time.Duration, now time.Time) (Sweep, error) {
	var sw Sweep
	err := filepath.WalkDir(s.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p == filepath.Join(s.dir, "tmp") {
				return filepath.SkipDir
			}
			return nil
		}
		name := d.Name()
		if !validName(name) || !strings.HasPrefix(p, filepath.Join(s.dir, name[:2], name[2:4])) || referenced(name) {
			return nil
		}
		info, err := d.Info()
		if err != nil || now.Sub(info.ModTime()) < olderThan {
			return nil
		}
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		sw.Files++
		sw.Bytes += info.Size()
		sw.Names = append(sw.Names, name)
		return nil
	})
	if err != nil {
		return sw, fmt.Errorf("blob: collect unreferenced blobs: %w", err)
	}
	return sw, nil
}
