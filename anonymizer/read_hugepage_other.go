//go:build !linux

package anonymizer

// hugePages returns s: transparent huge pages are a Linux feature (see
// read_hugepage_linux.go).
func hugePages[T any](s []T) []T { return s }
