package anonymizer

import (
	"syscall"
	"unsafe"
)

// hugePageMin is the capacity in bytes from which a slice's memory is
// offered huge pages.
const hugePageMin = 4 << 20

// hugePages asks the kernel to back the whole 2 MiB pages inside the
// memory of s (up to its capacity) with transparent huge pages, and
// returns s. Call it on a fresh allocation, before the memory is touched.
//
// On the development machine (a virtual machine; transparent huge pages
// in "madvise" mode) the first touch of a 4 KiB page costs several
// microseconds, about 5 ms of CPU per MB: a read of 10 M rows writes
// more than a gigabyte of fresh memory (codes, dictionaries, the intern
// tables), and that cost was a third of its CPU. Huge pages fault a
// five-hundredth as often. Where the kernel does not take the advice, or
// has no huge page to give, nothing changes. The memory stays Go's: the
// advice only concerns how it is backed.
func hugePages[T any](s []T) []T {
	var zero T
	size := uintptr(cap(s)) * unsafe.Sizeof(zero)
	if size < hugePageMin {
		return s
	}
	base := unsafe.Pointer(unsafe.SliceData(s))
	p := uintptr(base)
	const huge = 2 << 20
	start := (p + huge - 1) &^ (huge - 1)
	end := (p + size) &^ (huge - 1)
	if end <= start {
		return s
	}
	b := unsafe.Slice((*byte)(unsafe.Add(base, start-p)), end-start)
	_ = syscall.Madvise(b, 14) // MADV_HUGEPAGE; advice, an error changes nothing
	return s
}
