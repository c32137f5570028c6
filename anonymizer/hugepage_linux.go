package anonymizer

import (
	"sync/atomic"
	"syscall"
	"unsafe"
)

// hugePageMin is the capacity in bytes from which memory is offered huge
// pages: a small file's read changes nothing, and the heap's mappings
// split at most once per huge page (the advice covers whole huge pages).
const hugePageMin = 4 << 20

// hugePage is the size of a transparent huge page on linux/amd64 and arm64.
const hugePage = 2 << 20

// hugePages asks the kernel to back the whole 2 MiB pages inside the
// memory of s (up to its capacity) with transparent huge pages, and
// returns s. Call it on a fresh allocation, before the memory is touched.
//
// On the development machine (a virtual machine; transparent huge pages
// in "madvise" mode) the first touch of a 4 KiB page costs several
// microseconds, about 5 ms of CPU per MB: a read of 10 M rows writes
// more than a gigabyte of fresh memory (codes, dictionaries, the intern
// tables), and that cost was a third of its CPU; a hash table's probes
// land anywhere in it and, on 4 KiB pages, nearly each also misses the
// TLB. Huge pages fault a five-hundredth as often. Where the kernel does
// not take the advice, or has no huge page to give, nothing changes.
//
// The advice stays on the address range after Go frees the memory: when
// the collector has given a whole 2 MiB back to the kernel and later puts
// small objects there, the first touch brings a whole huge page back, RSS
// the Go runtime does not count. A run of the CLI ends before that
// matters (and a spilled run leaves a quarter of --memory-limit for it);
// a long-lived process turns the advice off (SetHugePages).
func hugePages[T any](s []T) []T {
	var zero T
	adviseHuge(unsafe.Pointer(unsafe.SliceData(s)), cap(s)*int(unsafe.Sizeof(zero)))
	return s
}

// adviseHuge is hugePages for the n bytes at p, a large allocation not
// yet touched.
func adviseHuge(p unsafe.Pointer, n int) {
	if n < hugePageMin || hugePagesOff.Load() {
		return
	}
	start := (uintptr(p) + hugePage - 1) &^ (hugePage - 1)
	end := (uintptr(p) + uintptr(n)) &^ (hugePage - 1)
	if end > start {
		b := unsafe.Slice((*byte)(unsafe.Add(p, start-uintptr(p))), end-start)
		_ = madvise(b, 14) // MADV_HUGEPAGE; advice, an error changes nothing
	}
}

// allocSlots returns n zeroed slots of a hash table, offered huge pages.
func allocSlots(n int) []uint64 { return hugePages(make([]uint64, n)) }

// madvise is syscall.Madvise (a variable for tests).
var madvise = defaultMadvise

var defaultMadvise = syscall.Madvise

// hugePagesOff: SetHugePages(false) was called.
var hugePagesOff atomic.Bool

// SetHugePages turns the huge-page advice for the anonymizer's large
// arrays on (the default) or off for the whole process. A server that
// de-identifies tables between other work should turn it off: the advice
// outlives the arrays (see hugePages).
func SetHugePages(on bool) { hugePagesOff.Store(!on) }
