//go:build !linux

package anonymizer

import "unsafe"

// allocSlots returns n zeroed slots and the function that frees them.
func allocSlots(n int) ([]uint64, func()) { return make([]uint64, n), func() {} }

// adviseHuge does nothing here.
func adviseHuge(p unsafe.Pointer, n int) {}
