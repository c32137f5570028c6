package anonymizer

import (
	"math/bits"
	"runtime"
	"sync"
)

// bottomParMin is the fewest rows buildBottomPar spreads over the cores:
// below it one core counts them in a few milliseconds.
const bottomParMin = 1 << 18

// buildBottomPar is buildBottom on all cores, with the same result: the
// same classes in the same order (numbered by first occurrence), the same
// counts and the same class of each row. On ten million rows the bottom
// node has nearly as many classes as rows and counting them is one hash
// probe that misses the cache per row: one core took 8 s of the run.
//
// The class keys are split by their hash between the workers (each row's
// worker found first, on all cores); each worker computes the keys of its
// rows and counts them in a table of its own (a class's rows all go to one
// worker), noting each row's class in the worker's own list, in row order.
// One pass over the rows then numbers the classes by first occurrence, as
// buildBottom does,
// and the classes are copied into place on all cores. The workers' keys
// and the result's are both held for a moment (8 bytes a key word a
// class more than buildBottom at its peak).
func buildBottomPar(t *Table, lt *lattice, sens []*sensAttr, stride int) *encoded {
	n := t.Rows()
	workers := min(runtime.GOMAXPROCS(0), 16)
	// A spilled table (--memory-limit) keeps the single-core count: the
	// workers' keys and the result's are both held for a moment, which a
	// run within a promised budget cannot afford.
	if workers < 2 || n < bottomParMin || t.spill != nil {
		return buildBottom(t, lt, sens, stride)
	}
	w := lt.words
	dims := lt.dims
	cols := make([][]int32, len(dims))
	for i, d := range dims {
		cols[i] = t.Columns[d.col].Codes
	}
	// keyOf writes row r's key into key and returns its hash.
	keyOf := func(r int, key []uint64) uint64 {
		clear(key)
		for i, d := range dims {
			key[d.word] |= uint64(cols[i][r]) << d.shift
		}
		return bottomHash(key)
	}
	owner := func(x uint64) int {
		hi, _ := bits.Mul64(x, uint64(workers))
		return int(hi)
	}
	// Each row's worker, on all cores: the workers then compute the keys
	// of their own rows only, and the numbering pass below (one core)
	// reads a byte a row instead of computing every key again.
	owners := make([]uint8, n)
	parallelRows(workers, n, func(lo, hi int) {
		key := make([]uint64, w)
		for r := lo; r < hi; r++ {
			owners[r] = uint8(owner(keyOf(r, key)))
		}
	})
	parts := make([]*bottomPart, workers)
	var wg sync.WaitGroup
	for p := range workers {
		wg.Go(func() {
			bp := newBottomPart(w, n/workers+1)
			key := make([]uint64, w)
			for r, o := range owners {
				if int(o) != p {
					continue
				}
				bp.rows = append(bp.rows, bp.insert(key, keyOf(r, key)))
			}
			parts[p] = bp
		})
	}
	wg.Wait()
	// Classes numbered by first occurrence: a worker's classes are new in
	// the order of their first rows, so a class is new when its row's local
	// class is the worker's next one not yet numbered.
	classes := 0
	for _, bp := range parts {
		classes += len(bp.counts)
		bp.global = make([]int32, len(bp.counts))
	}
	e := &encoded{lt: lt, sens: sens, stride: stride, rows: n}
	e.rowClass = make([]int32, n)
	pos := make([]int, workers)
	seen := make([]int32, workers)
	var next int32
	for r, o := range owners {
		p := int(o)
		bp := parts[p]
		local := bp.rows[pos[p]]
		pos[p]++
		if local == seen[p] {
			bp.global[local] = next
			next++
			seen[p]++
		}
		e.rowClass[r] = bp.global[local]
	}
	f := &freqSet{levels: make([]int, len(dims)), lay: lt.bottomLayout()}
	f.keys = make([]uint64, classes*w)
	f.counts = make([]int32, classes)
	parallelEach(workers, workers, func(p int) {
		bp := parts[p]
		for local, g := range bp.global {
			copy(f.keys[int(g)*w:int(g)*w+w], bp.keys[local*w:local*w+w])
			f.counts[g] = bp.counts[local]
		}
		parts[p] = nil
	})
	if stride > 0 {
		f.hist = bottomHist(t, sens, e.rowClass, len(f.counts), workers)
	}
	e.bottom = f
	return e
}

// bottomPart is one worker's share of the bottom node's classes: an
// open-addressing table of its keys (words each) with their counts, and
// the local class of each of its rows in row order.
type bottomPart struct {
	words  int
	keys   []uint64
	counts []int32
	slots  []int32 // −1: empty
	shift  uint
	rows   []int32
	global []int32 // local class → class of the bottom node
}

// newBottomPart is a worker's table for about rows rows: sized for as many
// classes (the bottom node of a large table has nearly one a row), so
// that neither the table nor its keys are grown and copied on the way.
func newBottomPart(words, rows int) *bottomPart {
	rows += rows / 16
	bp := &bottomPart{words: words, rows: make([]int32, 0, rows),
		keys: make([]uint64, 0, rows*words), counts: make([]int32, 0, rows)}
	bp.grow(rows)
	return bp
}

// bottomHash is the hash of a class key; its high bits choose the worker.
func bottomHash(key []uint64) uint64 {
	var x uint64
	for _, k := range key {
		x = (x ^ k) * 0x9e3779b97f4a7c15
		x ^= x >> 29
	}
	return x * 0xbf58476d1ce4e5b9
}

// slot is the home slot of a key of hash x: from bits of x mixed again,
// those that chose the worker being the same for all of its keys.
func (bp *bottomPart) slot(x uint64) uint64 {
	return ((x ^ x>>31) * 0x94d049bb133111eb) >> bp.shift
}

// insert counts one row of key (hash x) and returns its local class.
func (bp *bottomPart) insert(key []uint64, x uint64) int32 {
	w := bp.words
	mask := uint64(len(bp.slots) - 1)
	i := bp.slot(x)
	for {
		s := bp.slots[i]
		if s < 0 {
			s = int32(len(bp.counts))
			bp.slots[i] = s
			bp.keys = append(bp.keys, key...)
			bp.counts = append(bp.counts, 1)
			if 2*len(bp.counts) > len(bp.slots) {
				bp.grow(2 * len(bp.counts))
			}
			return s
		}
		if k := bp.keys[int(s)*w : int(s)*w+w]; equalKeys(k, key) {
			bp.counts[s]++
			return s
		}
		i = (i + 1) & mask
	}
}

// grow makes the table at least twice n slots and puts the keys back.
func (bp *bottomPart) grow(n int) {
	c := 16
	for c < 2*n {
		c <<= 1
	}
	bp.slots = make([]int32, c)
	for i := range bp.slots {
		bp.slots[i] = -1
	}
	bp.shift = uint(64 - bits.TrailingZeros(uint(c)))
	mask := uint64(c - 1)
	w := bp.words
	for s := range bp.counts {
		i := bp.slot(bottomHash(bp.keys[s*w : s*w+w]))
		for bp.slots[i] >= 0 {
			i = (i + 1) & mask
		}
		bp.slots[i] = int32(s)
	}
}

func equalKeys(a, b []uint64) bool {
	for j := range a {
		if a[j] != b[j] {
			return false
		}
	}
	return true
}
