package anonymizer

import (
	"sync"
	"unsafe"
)

// bigMem places the search's large, long-lived arrays (issue 19 item 4):
// with a table spilled to memory-mapped files (Spill), the finest node's
// keys and counts, each row's class, and the frequency sets the search
// keeps (the greedy climb's nodes, the cached hubs and floor, the kept
// pair projections) go to files of the same spill, whose resident pages
// the spill's trimming gives back like the codes'. They are written once
// and then read in order, so a page given back costs one cheap fault when
// read again. The scratch of each roll-up (key buffers, hash tables),
// written on every roll-up and probed at random, stays on the heap: on a
// file mapping each write to a page given back (or written to the disk)
// faults again, which made a search several times slower. Without a
// spill (a nil bigMem) every array is an ordinary heap slice, as before.
//
// Mapped arrays are not the collector's: each is unmapped when its owner
// lets it go (drop), or with every other when the search ends (freeAll).
// A bigMem is safe for concurrent use.
type bigMem struct {
	sp   *Spill
	mu   sync.Mutex
	live map[unsafe.Pointer]bool // arrays mapped by this bigMem
	// sets: frequency sets whose keys and counts were moved to mapped
	// memory (keep); pinned ones are only let go by freeAll
	sets   map[*freqSet]bool
	pinned map[*freqSet]bool
	// mapped, peak: bytes mapped by this bigMem now and at most
	mapped, peak int64
}

// bigMin is the size in bytes from which an array is mapped rather than
// allocated on the heap (tests lower it).
var bigMin = 1 << 20

// newBigMem returns the bigMem of a search over t: nil when t is not
// spilled.
func newBigMem(t *Table) *bigMem {
	if t.spill == nil {
		return nil
	}
	return &bigMem{sp: t.spill, live: map[unsafe.Pointer]bool{}, sets: map[*freqSet]bool{}, pinned: map[*freqSet]bool{}}
}

// on reports whether arrays are mapped.
func (m *bigMem) on() bool { return m != nil }

// bytes maps size zeroed bytes, or returns nil when m is nil, size is
// under bigMin or the spill fails (the caller then uses the heap).
func (m *bigMem) bytes(size int) unsafe.Pointer {
	if m == nil || size < bigMin {
		return nil
	}
	b, err := m.sp.allocBytes(int64(size))
	if err != nil {
		return nil
	}
	p := unsafe.Pointer(&b[0])
	m.mu.Lock()
	m.live[p] = true
	m.mapped += int64(size)
	m.peak = max(m.peak, m.mapped)
	m.mu.Unlock()
	return p
}

// u64 returns n zeroed words, mapped when large.
func (m *bigMem) u64(n int) []uint64 {
	if p := m.bytes(n * 8); p != nil {
		return unsafe.Slice((*uint64)(p), n)
	}
	return make([]uint64, n)
}

// i32 returns n zeroed int32s, mapped when large.
func (m *bigMem) i32(n int) []int32 {
	if p := m.bytes(n * 4); p != nil {
		return unsafe.Slice((*int32)(p), n)
	}
	return make([]int32, n)
}

// ents returns n zeroed hash table entries, mapped when large.
func (m *bigMem) ents(n int) []ent1 {
	if p := m.bytes(n * int(unsafe.Sizeof(ent1{}))); p != nil {
		return unsafe.Slice((*ent1)(p), n)
	}
	return make([]ent1, n)
}

// free unmaps the array that starts at p when m mapped it; an array on
// the heap (or nil) is left to the collector. The array must not be used
// afterwards.
func (m *bigMem) free(p unsafe.Pointer) {
	if m == nil || p == nil {
		return
	}
	m.mu.Lock()
	ok := m.live[p]
	delete(m.live, p)
	m.mu.Unlock()
	if ok {
		size := m.sizeOf(p)
		if m.sp.free(p) {
			m.mu.Lock()
			m.mapped -= size
			m.mu.Unlock()
		}
	}
}

// sizeOf is the size of the spill's mapping that starts at p (0 if none).
func (m *bigMem) sizeOf(p unsafe.Pointer) int64 {
	m.sp.mu.Lock()
	defer m.sp.mu.Unlock()
	for _, b := range m.sp.maps {
		if unsafe.Pointer(&b[0]) == p {
			return int64(len(b))
		}
	}
	return 0
}

// keep moves the keys and counts of f, a set the search keeps for a while,
// to mapped memory when they are large (the heap copies go to the
// collector). pin: f is let go only by freeAll (the greedy climb's nodes,
// which several owners share). It does nothing when m is nil or f is
// already kept.
func (m *bigMem) keep(f *freqSet, pin bool) {
	if m == nil || f == nil {
		return
	}
	m.mu.Lock()
	had := m.sets[f]
	if pin {
		m.pinned[f] = true
	}
	m.mu.Unlock()
	if had || len(f.counts)*4 < bigMin {
		return
	}
	keys := m.u64(len(f.keys))
	copy(keys, f.keys)
	counts := m.i32(len(f.counts))
	copy(counts, f.counts)
	f.keys, f.counts = keys, counts
	m.mu.Lock()
	m.sets[f] = true
	m.mu.Unlock()
}

// drop unmaps the keys and counts of f, kept by keep and not pinned; f
// must not be used afterwards. It does nothing otherwise.
func (m *bigMem) drop(f *freqSet) {
	if m == nil || f == nil {
		return
	}
	m.mu.Lock()
	ok := m.sets[f] && !m.pinned[f]
	if ok {
		delete(m.sets, f)
	}
	m.mu.Unlock()
	if ok {
		m.freeSet(f)
	}
}

func (m *bigMem) freeSet(f *freqSet) {
	if len(f.keys) > 0 {
		m.free(unsafe.Pointer(&f.keys[0]))
	}
	if len(f.counts) > 0 {
		m.free(unsafe.Pointer(&f.counts[0]))
	}
	f.keys, f.counts = nil, nil
}

// freeAll unmaps every array m mapped, pinned sets included: nothing the
// search made may be used afterwards.
func (m *bigMem) freeAll() {
	if m == nil {
		return
	}
	m.mu.Lock()
	ps := make([]unsafe.Pointer, 0, len(m.live))
	for p := range m.live {
		ps = append(ps, p)
	}
	clear(m.live)
	clear(m.sets)
	clear(m.pinned)
	m.mapped = 0
	m.mu.Unlock()
	for _, p := range ps {
		m.sp.free(p)
	}
}
