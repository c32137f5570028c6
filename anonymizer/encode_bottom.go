package anonymizer

import (
	"math/bits"
	"runtime"
	"slices"
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
// rows and counts them by partitions of a few thousand rows (countPart),
// noting each row's local class in its own list, in row order, flagged on
// the class's first row. One pass over the rows then numbers the classes
// by first occurrence, as buildBottom does, and the classes are copied
// into place on all cores. The workers' keys and the result's are both
// held for a moment (8 bytes a key word a class more than buildBottom at
// its peak).
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
			key[d.word] |= uint64(cols[i][r]) << (d.shift & 63)
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
	owners := hugePages(make([]uint8, n))
	parallelRows(workers, n, func(lo, hi int) {
		key := make([]uint64, w)
		for r := lo; r < hi; r++ {
			owners[r] = uint8(owner(keyOf(r, key)))
		}
	})
	parts := make([]*bottomPart, workers)
	var wg sync.WaitGroup
	for p := range workers {
		wg.Go(func() { parts[p] = countPart(uint8(p), owners, w, keyOf) })
	}
	wg.Wait()
	// Classes numbered by first occurrence: a row that is its class's
	// first (a flag of its local class) numbers the class.
	classes := 0
	for _, bp := range parts {
		classes += len(bp.counts)
		bp.global = hugePages(make([]int32, len(bp.counts)))
	}
	e := &encoded{lt: lt, sens: sens, stride: stride, rows: n}
	e.rowClass = hugePages(make([]int32, n))
	pos := make([]int, workers)
	var next int32
	for r, o := range owners {
		p := int(o)
		bp := parts[p]
		v := bp.rows[pos[p]]
		pos[p]++
		local := v & bottomFirstMask
		if v < 0 {
			bp.global[local] = next
			next++
		}
		e.rowClass[r] = bp.global[local]
	}
	f := &freqSet{levels: make([]int, len(dims)), lay: lt.bottomLayout()}
	f.keys = hugePages(make([]uint64, classes*w))
	f.counts = hugePages(make([]int32, classes))
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

// bottomPart is one worker's share of the bottom node's classes: their
// keys (words each) and counts, and for each of its rows, in row order,
// its local class, negative (bottomFirst set) on the class's first row.
type bottomPart struct {
	keys   []uint64
	counts []int32
	rows   []int32
	global []int32 // local class → class of the bottom node
}

// bottomFirst flags a row's local class on the class's first row;
// bottomFirstMask takes it off.
const (
	bottomFirst     = -1 << 31
	bottomFirstMask = 1<<31 - 1
)

// bottomHash is the hash of a class key; its high bits choose the worker.
func bottomHash(key []uint64) uint64 {
	var x uint64
	for _, k := range key {
		x = (x ^ k) * 0x9e3779b97f4a7c15
		x ^= x >> 29
	}
	return x * 0xbf58476d1ce4e5b9
}

// bottomPartRows is about the rows of one partition of a worker's rows:
// their table stays in cache.
const bottomPartRows = 1 << 12

// countPart counts the classes of the rows whose owner is p (keyOf writes
// a row's key and returns its hash). A table of millions of classes would
// miss the cache on nearly every row, so the rows are first scattered
// (their keys, and their place among p's rows) by other bits of their hash
// into partitions of a few thousand, in row order; each partition is then
// grouped in a small table, its distinct keys written back over its own
// entries and moved down behind the last partition's, so that the keys
// need no buffer besides their own. Local classes are numbered partition
// by partition; a key's first entry in its partition is its first row.
func countPart(p uint8, owners []uint8, w int, keyOf func(r int, key []uint64) uint64) *bottomPart {
	rows := 0
	for _, o := range owners {
		if o == p {
			rows++
		}
	}
	pbits := min(uint(bits.Len(uint(rows/bottomPartRows))), 16) // of holds a partition in 16 bits
	part := func(x uint64) int { return int(((x ^ x>>31) * 0x94d049bb133111eb) >> 32 >> (32 - pbits)) }
	if pbits == 0 {
		part = func(uint64) int { return 0 }
	}
	parts := 1 << pbits
	of := hugePages(make([]uint16, rows)) // each row's partition, in p's row order
	start := make([]int, parts+1)
	key := make([]uint64, w)
	i := 0
	for r, o := range owners {
		if o != p {
			continue
		}
		q := part(keyOf(r, key))
		of[i] = uint16(q)
		start[q+1]++
		i++
	}
	for q := range parts {
		start[q+1] += start[q]
	}
	bp := &bottomPart{keys: hugePages(make([]uint64, rows*w)), rows: hugePages(make([]int32, rows))}
	at := hugePages(make([]int32, rows)) // an entry's place among p's rows
	next := slices.Clone(start[:parts])
	i = 0
	for r, o := range owners {
		if o != p {
			continue
		}
		keyOf(r, key)
		j := next[of[i]]
		next[of[i]]++
		copy(bp.keys[j*w:j*w+w], key)
		at[j] = int32(i)
		i++
	}
	of = nil
	most := 0
	for q := range parts {
		most = max(most, start[q+1]-start[q])
	}
	size := 16
	for size < 2*most {
		size <<= 1
	}
	slots := make([]int32, size)
	shift := uint(64 - bits.TrailingZeros(uint(size)))
	mask := uint64(size - 1)
	bp.counts = hugePages(make([]int32, 0, rows))
	classes := 0 // keys [0, classes*w) are the classes found so far
	for q := range parts {
		for k := range slots {
			slots[k] = -1
		}
		for j := start[q]; j < start[q+1]; j++ {
			k := bp.keys[j*w : j*w+w]
			x := bottomHash(k)
			s := ((x ^ x>>29) * 0xbf58476d1ce4e5b9) >> shift
			for {
				c := slots[s]
				if c < 0 {
					c = int32(classes)
					slots[s] = c
					copy(bp.keys[classes*w:classes*w+w], k) // never past entry j
					bp.counts = append(bp.counts, 1)
					classes++
					bp.rows[at[j]] = c | bottomFirst
					break
				}
				if equalKeys(bp.keys[int(c)*w:int(c)*w+w], k) {
					bp.counts[c]++
					bp.rows[at[j]] = c
					break
				}
				s = (s + 1) & mask
			}
		}
	}
	bp.keys = bp.keys[:classes*w]
	return bp
}

func equalKeys(a, b []uint64) bool {
	for j := range a {
		if a[j] != b[j] {
			return false
		}
	}
	return true
}
