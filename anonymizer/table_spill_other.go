//go:build !linux

package anonymizer

import (
	"errors"
	"os"
)

// errNoSpill is why a spill cannot be made outside Linux: the spill relies
// on fallocate and on MADV_DONTNEED's meaning for shared file mappings.
// A run with --memory-limit then stops at once rather than break it.
var errNoSpill = errors.New("memory-mapped spill files need Linux")

func reserveFile(*os.File, int64) error { return errNoSpill }

func mapFile(*os.File, int64) ([]byte, error) { return nil, errNoSpill }

func dropPages([]byte) {}

func unmapFile([]byte) error { return errNoSpill }
