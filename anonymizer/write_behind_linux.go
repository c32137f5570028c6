package anonymizer

import (
	"os"

	"golang.org/x/sys/unix"
)

// writeBehind starts the write-out to disk of the n bytes of f at off
// without waiting for it (sync_file_range with SYNC_FILE_RANGE_WRITE). It
// is advice: durability still comes from f.Sync, and an error (a file
// system that does not support it) changes nothing.
func writeBehind(f *os.File, off, n int64) {
	rc, err := f.SyscallConn()
	if err != nil {
		return
	}
	_ = rc.Control(func(fd uintptr) {
		_ = unix.SyncFileRange(int(fd), off, n, unix.SYNC_FILE_RANGE_WRITE)
	})
}
