//go:build !linux

package anonymizer

import "unsafe"

// allocSlots returns n zeroed slots of a hash table.
func allocSlots(n int) []uint64 { return make([]uint64, n) }

// adviseHuge does nothing here.
func adviseHuge(p unsafe.Pointer, n int) {}
