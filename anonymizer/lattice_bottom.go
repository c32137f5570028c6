package anonymizer

import (
	"math/bits"
	"runtime"
	"sync"
)

// ent2 is a row of the original data scattered for grouping: its key (up
// to two words) and its row number.
type ent2 struct {
	k0, k1 uint64
	row    int32
}

// bottomHash hashes a key of up to two words.
func bottomHash(k0, k1 uint64) uint64 {
	x := (k0 ^ k1*0xbf58476d1ce4e5b9) * 0x9e3779b97f4a7c15
	return x ^ x>>31
}

// buildBottomPar is buildBottom on all cores for tables of many rows whose
// keys take at most two words: each worker computes the keys of a range of
// rows and scatters them by the high bits of their hash into partitions
// small enough for a hash table in cache (rows keep their order within a
// partition), and the partitions are grouped in parallel. Classes are
// numbered partition by partition, then by first row within each; the
// search and the release depend on the classes, not on their numbers.
// A table whose codes are spilled (beyond --memory-limit) is grouped
// serially: the scattered rows would take 24 bytes each beside them.
func buildBottomPar(t *Table, lt *lattice, sens []*sensAttr, stride int) *encoded {
	n := t.Rows()
	w := lt.words
	workers := min(runtime.GOMAXPROCS(0), 8)
	if w > 2 || n < partitionMin || workers == 1 || t.spill != nil {
		return buildBottom(t, lt, sens, stride)
	}
	e := &encoded{lt: lt, sens: sens, stride: stride, rows: n}
	cols := make([][]int32, len(lt.dims))
	for i, d := range lt.dims {
		cols[i] = t.Columns[d.col].Codes
	}
	key := func(r int) (uint64, uint64) {
		var k [2]uint64
		for i, d := range lt.dims {
			k[d.word] |= uint64(cols[i][r]) << d.shift
		}
		return k[0], k[1]
	}
	pbits := uint(bits.Len(uint(n >> 13)))
	parts := 1 << pbits
	chunk := (n + workers - 1) / workers
	// counts[wk][p]: rows of worker wk's range in partition p
	counts := make([][]int, workers)
	var wg sync.WaitGroup
	for wk := range workers {
		lo, hi := min(wk*chunk, n), min((wk+1)*chunk, n)
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := make([]int, parts)
			for r := lo; r < hi; r++ {
				c[bottomHash(key(r))>>(64-pbits)]++
			}
			counts[wk] = c
		}()
	}
	wg.Wait()
	start := make([]int, parts+1)
	pos := make([][]int, workers)
	for wk := range workers {
		pos[wk] = make([]int, parts)
	}
	at := 0
	for p := range parts {
		start[p] = at
		for wk := range workers {
			pos[wk][p] = at
			at += counts[wk][p]
		}
	}
	start[parts] = at
	buf := make([]ent2, n)
	for wk := range workers {
		lo, hi := min(wk*chunk, n), min((wk+1)*chunk, n)
		wg.Add(1)
		go func() {
			defer wg.Done()
			ps := pos[wk]
			for r := lo; r < hi; r++ {
				k0, k1 := key(r)
				p := bottomHash(k0, k1) >> (64 - pbits)
				buf[ps[p]] = ent2{k0, k1, int32(r)}
				ps[p]++
			}
		}()
	}
	wg.Wait()
	e.rowClass = make([]int32, n)
	sizes := make([]int, parts)
	var next sync.Mutex
	p0 := 0
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var slots []int32
			for {
				next.Lock()
				p := p0
				p0++
				next.Unlock()
				if p >= parts {
					return
				}
				sizes[p] = groupRows(buf[start[p]:start[p+1]], pbits, e.rowClass, &slots)
			}
		}()
	}
	wg.Wait()
	classes := 0
	for _, s := range sizes {
		classes += s
	}
	f := &freqSet{levels: make([]int, len(lt.dims)), lay: lt.bottomLayout(),
		keys: make([]uint64, 0, classes*w), counts: make([]int32, 0, classes)}
	base := make([]int32, parts)
	for p := range parts {
		base[p] = int32(len(f.keys) / w)
		for _, x := range buf[start[p] : start[p]+sizes[p]] {
			f.keys = append(f.keys, x.k0)
			if w == 2 {
				f.keys = append(f.keys, x.k1)
			}
			f.counts = append(f.counts, x.row)
		}
	}
	buf = nil
	chunk = (n + workers - 1) / workers
	for wk := range workers {
		lo, hi := min(wk*chunk, n), min((wk+1)*chunk, n)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := lo; r < hi; r++ {
				e.rowClass[r] += base[bottomHash(key(r))>>(64-pbits)]
			}
		}()
	}
	wg.Wait()
	if stride > 0 {
		f.hist = bottomHist(t, sens, e.rowClass, len(f.counts))
	}
	e.bottom = f
	return e
}

// groupRows groups one partition of rows by key: rowClass receives each
// row's class among the partition's, numbered by first row; the distinct
// keys are written over the partition's first entries, with their counts
// of rows in place of the row.
// It returns their number. slots is the worker's reusable table.
func groupRows(part []ent2, pbits uint, rowClass []int32, slots *[]int32) int {
	c := 16
	for c < 2*len(part) {
		c <<= 1
	}
	if cap(*slots) < c {
		*slots = make([]int32, c)
	}
	tab := (*slots)[:c]
	for i := range tab {
		tab[i] = -1
	}
	mask := uint64(c - 1)
	shift := uint(64 - bits.TrailingZeros(uint(c)))
	var m int32
	for _, x := range part {
		// the partition fixed the hash's high bits: probe with the next ones
		i := (bottomHash(x.k0, x.k1) << pbits) >> shift
		for {
			s := tab[i]
			if s < 0 {
				tab[i] = m
				rowClass[x.row] = m
				part[m] = ent2{x.k0, x.k1, 1} // m ≤ this entry's index: already read
				m++
				break
			}
			if part[s].k0 == x.k0 && part[s].k1 == x.k1 {
				rowClass[x.row] = s
				part[s].row++
				break
			}
			i = (i + 1) & mask
		}
	}
	return int(m)
}
