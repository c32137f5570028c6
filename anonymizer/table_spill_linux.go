package anonymizer

import (
	"errors"
	"os"
	"syscall"
)

// reserveFile gives f size bytes of disk blocks (fallocate), or makes it
// sparse where the file system cannot reserve them.
func reserveFile(f *os.File, size int64) error {
	err := syscall.Fallocate(int(f.Fd()), 0, 0, size)
	if err == nil {
		return nil
	}
	if !errors.Is(err, syscall.EOPNOTSUPP) && !errors.Is(err, syscall.ENOSYS) {
		return err
	}
	return f.Truncate(size)
}

// mapFile maps f's first size bytes, shared and writable.
func mapFile(f *os.File, size int64) ([]byte, error) {
	return syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_SHARED)
}

// dropPages gives b's resident pages back: on a shared file mapping the
// data stays in the file and a later access maps its page again.
func dropPages(b []byte) { _ = syscall.Madvise(b, syscall.MADV_DONTNEED) }

// unmapFile unmaps a mapping made by mapFile.
func unmapFile(b []byte) error { return syscall.Munmap(b) }
