//go:build !linux

package anonymizer

import "unsafe"

// hugePages returns s: transparent huge pages are a Linux feature (see
// hugepage_linux.go).
func hugePages[T any](s []T) []T { return s }

// adviseHuge does nothing here.
func adviseHuge(p unsafe.Pointer, n int) {}

// allocSlots returns n zeroed slots of a hash table.
func allocSlots(n int) []uint64 { return make([]uint64, n) }

// SetHugePages does nothing here: there is no advice to give.
func SetHugePages(on bool) {}
