//go:build linux

package anonymizer

import (
	"syscall"
	"unsafe"
)

// hugeMin is the smallest allocation (in bytes) advised onto huge pages:
// a small file's read changes nothing, and the heap's mappings split at
// most once per huge page (the advice covers whole huge pages only).
const hugeMin = 8 << 20

// hugePage is the size of a transparent huge page on linux/amd64 and arm64.
const hugePage = 2 << 20

// allocSlots returns n zeroed slots of a hash table (on the Go heap,
// counted by the memory watch like the rest of the table). A large table
// is advised onto huge pages: its probes land anywhere in it, and with
// 4 KiB pages nearly each one would also miss the TLB, and the first
// ones fault their page in.
func allocSlots(n int) []uint64 {
	s := make([]uint64, n)
	adviseHuge(unsafe.Pointer(unsafe.SliceData(s)), 8*n)
	return s
}

// adviseHuge asks the kernel to back the whole huge pages inside the n
// bytes at p, a large allocation not yet touched, with huge pages: the
// table's codes, texts and Dict are written once, front to back, and on
// 4 KiB pages each page's first write is a fault.
func adviseHuge(p unsafe.Pointer, n int) {
	if n < hugeMin {
		return
	}
	start := (uintptr(p) + hugePage - 1) &^ (hugePage - 1)
	end := (uintptr(p) + uintptr(n)) &^ (hugePage - 1)
	if end > start {
		b := unsafe.Slice((*byte)(unsafe.Add(p, start-uintptr(p))), end-start)
		_ = syscall.Madvise(b, 0xe) // MADV_HUGEPAGE
	}
}
