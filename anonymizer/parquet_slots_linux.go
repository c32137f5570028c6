//go:build linux

package anonymizer

import (
	"syscall"
	"unsafe"
)

// hugeSlotsMin is the smallest hash table (in bytes) placed on huge pages.
const hugeSlotsMin = 8 << 20

// hugePage is the size of a transparent huge page on linux/amd64 and arm64.
const hugePage = 2 << 20

// allocSlots returns n zeroed slots and the function that frees them. A
// large table is a private anonymous mapping the kernel is asked to back
// with huge pages (madvise MADV_HUGEPAGE): its probes land anywhere in it,
// and with 4 KiB pages nearly each one would also miss the TLB and fault
// its page in. The Go heap does not ask for huge pages; a table holds no
// pointers, so it can live outside it. Anything but a mapping falls back
// to the heap.
func allocSlots(n int) ([]uint64, func()) {
	size := n * 8
	if size < hugeSlotsMin {
		return make([]uint64, n), func() {}
	}
	m, err := syscall.Mmap(-1, 0, size+hugePage, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		return make([]uint64, n), func() {}
	}
	// begin on a huge page boundary: the kernel backs only aligned ranges
	off := int(-uintptr(unsafe.Pointer(&m[0])) & (hugePage - 1))
	b := m[off : off+size]
	_ = syscall.Madvise(b, 0xe) // MADV_HUGEPAGE; refused: small pages
	return unsafe.Slice((*uint64)(unsafe.Pointer(&b[0])), n), func() { _ = syscall.Munmap(m) }
}

// adviseHuge asks the kernel to back the whole huge pages inside the n
// bytes at p, a large allocation not yet touched, with huge pages: the
// table's codes, texts and Dict are written once, front to back, and on
// 4 KiB pages each page's first write is a fault.
func adviseHuge(p unsafe.Pointer, n int) {
	if n < 2*hugePage {
		return
	}
	start := (uintptr(p) + hugePage - 1) &^ (hugePage - 1)
	end := (uintptr(p) + uintptr(n)) &^ (hugePage - 1)
	if end > start {
		b := unsafe.Slice((*byte)(unsafe.Add(p, start-uintptr(p))), end-start)
		_ = syscall.Madvise(b, 0xe) // MADV_HUGEPAGE
	}
}
