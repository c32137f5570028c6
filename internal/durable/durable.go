// Package durable writes files so that they survive a power loss, not only
// a crash of the process: a file's fsync makes its data durable, its
// directory's fsync its name. Keys and blobs are recorded elsewhere (a
// delivery marked ready in PostgreSQL, releases pseudonymized under a key,
// heads signed by the platform key) the moment they are written; a file
// whose name was lost would leave those records pointing at nothing.
package durable

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// SyncDir fsyncs directory dir: the entries created, renamed or removed in
// it are then on disk.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync directory %s: %w", dir, err)
	}
	return nil
}

// CreateFile writes data to the new file path with perm, syncs it and its
// directory. It returns an error wrapping fs.ErrExist when path exists
// (it is never overwritten); on any other error the file is removed.
func CreateFile(path string, data []byte, perm os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = SyncDir(filepath.Dir(path))
	}
	if err != nil {
		return errors.Join(err, os.Remove(path))
	}
	return nil
}

// ReplaceFile writes data to path through a temporary file in the same
// directory, synced, renamed over path, and the directory synced: a reader
// sees the old content or the new, and after a power loss so does the
// disk.
func ReplaceFile(path string, data []byte, perm os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	name := tmp.Name()
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Chmod(perm)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(name, path)
	}
	if err != nil {
		return errors.Join(err, os.Remove(name))
	}
	return SyncDir(filepath.Dir(path))
}
