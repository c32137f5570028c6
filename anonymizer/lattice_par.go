package anonymizer

import (
	"math"
	"math/bits"
	"sync"
	"sync/atomic"
)

// generalizePar is generalizeUpTo on all the workers, for the roll-ups
// nothing else runs beside (the greedy climb, the meet of a level's nodes,
// the release): the keys are computed in chunks and the partitions grouped
// in parallel; classes are numbered partition by partition, as in
// groupPartitioned. Small or multi-word roll-ups run on ws[0] alone.
func (e *encoded) generalizePar(ws []*searcher, src *freqSet, levels []int, remap []int32, limit int) *freqSet {
	return e.rollUpPar(ws, src, levels, remap, limit, false, 0)
}

// generalizeParHub is generalizePar for a roll-up that is only a source
// for others (generalizeHub): it is also given up, before any grouping,
// when an estimate of its classes is above limit. need is generalizeHub's.
func (e *encoded) generalizeParHub(ws []*searcher, src *freqSet, levels []int, limit, need int) *freqSet {
	return e.rollUpPar(ws, src, levels, nil, limit, true, need)
}

func (e *encoded) rollUpPar(ws []*searcher, src *freqSet, levels []int, remap []int32, limit int, estimate bool, need int) *freqSet {
	lay := e.lt.layoutFor(levels)
	n := src.classes()
	if len(ws) == 1 || lay.words != 1 || min(n, e.lt.classesAt(levels)) < partitionMin {
		return e.rollUpMode(src, levels, &ws[0].ht, remap, limit, estimate, need)
	}
	if limit <= 0 {
		limit = math.MaxInt
	}
	if remap == nil && e.stride > 0 {
		remap = hugePages(make([]int32, n))
	}
	changes := e.keyChanges(src, levels, lay)
	h := &ws[0].ht
	keys := h.scratchKeys(n)
	if !fillEstimated(changes, src, keys, h, estimate, limit, len(ws)) {
		atomic.AddInt64(&e.work, int64(n))
		return nil
	}
	pbits := uint(bits.Len(uint(n >> 13)))
	buf, start := h.scatter(keys, src.counts, pbits)
	parts := len(start) - 1
	sizes := make([]int, parts)
	var next, total atomic.Int64
	var over atomic.Bool
	var wg sync.WaitGroup
	for _, w := range ws {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !over.Load() {
				p := int(next.Add(1) - 1)
				if p >= parts {
					return
				}
				sizes[p] = w.ht.groupInPlace(buf[start[p]:start[p+1]], pbits, remap, 0)
				if total.Add(int64(sizes[p])) > int64(limit) {
					over.Store(true)
				}
			}
		}()
	}
	wg.Wait()
	atomic.AddInt64(&e.work, int64(n))
	if over.Load() {
		return nil
	}
	out := &freqSet{levels: append([]int(nil), levels...), lay: lay,
		keys: hugePages(make([]uint64, 0, total.Load())), counts: hugePages(make([]int32, 0, total.Load()))}
	offs := make([]int32, parts)
	for p := range parts {
		offs[p] = int32(len(out.keys))
		for _, x := range buf[start[p] : start[p]+sizes[p]] {
			out.keys = append(out.keys, x.key)
			out.counts = append(out.counts, x.cnt)
		}
	}
	if remap != nil && parts > 1 {
		// each class's index among its partition's, plus the partition's offset
		chunk := (n + len(ws) - 1) / len(ws)
		for i := range ws {
			lo, hi := min(i*chunk, n), min((i+1)*chunk, n)
			wg.Add(1)
			go func() {
				defer wg.Done()
				for c := lo; c < hi; c++ {
					remap[c] += offs[(keys[c]*0x9e3779b97f4a7c15)>>1>>partShift(pbits)]
				}
			}()
		}
		wg.Wait()
	}
	e.addSensitive(out, src, remap, need, len(ws))
	return out
}

// scatter copies the keys (with their class and count) into h's buffer,
// grouped by the top pbits bits of their hash; partition p is
// buf[start[p]:start[p+1]].
func (h *hashTable) scatter(keys []uint64, counts []int32, pbits uint) ([]ent1, []int) {
	start := partitionStarts(keys, pbits)
	return h.scatterRange(keys, counts, pbits, start, 0, len(start)-1), start
}

// estimatedWithin reports whether src rolled up to levels is estimated
// (sampleCount, the result keys computed on all the workers,
// the first eighth first) to have at most limit classes; false when the
// result keys take more than one word.
func (e *encoded) estimatedWithin(ws []*searcher, src *freqSet, levels []int, limit int) bool {
	lay := e.lt.layoutFor(levels)
	if lay.words != 1 {
		return false
	}
	n := src.classes()
	changes := e.keyChanges(src, levels, lay)
	keys := ws[0].ht.scratchKeys(n)
	atomic.AddInt64(&e.work, int64(n))
	return fillEstimated(changes, src, keys, &ws[0].ht, true, limit, len(ws))
}

// fillEstimated fills keys with the one-word result keys of src's
// classes, on workers goroutines. With estimate (and fewer than limit
// classes not certain) it fills them part by part, an eighth, a quarter,
// a half, then all, counting them (sampleCount), and returns
// false, keys then partial, once the estimate passes limit: the classes
// of a part are at most those of the whole, and on millions of all but
// unique classes the estimate passes the limit before the last parts are
// computed.
func fillEstimated(changes *rekey, src *freqSet, keys []uint64, h *hashTable, estimate bool, limit, workers int) bool {
	n := len(keys)
	if !estimate || limit >= n {
		fillKeysPar(changes, src, keys, 0, workers)
		return true
	}
	samples := h.sampleReset(limit)
	lo := 0
	for _, hi := range [...]int{n / 8, n / 4, n / 2, n} {
		fillKeysPar(changes, src, keys[lo:hi], lo, workers)
		if samples.add(keys[lo:hi]) {
			return false
		}
		lo = hi
	}
	return true
}

// fillKeysPar is fillKeys (classes first, first+1, …) split among workers
// goroutines by ranges of classes.
func fillKeysPar(changes *rekey, src *freqSet, keys []uint64, first, workers int) {
	n := len(keys)
	if workers <= 1 || n < partitionMin {
		fillKeys(changes, src, keys, first)
		return
	}
	chunk := (n + workers - 1) / workers
	var wg sync.WaitGroup
	for i := range workers {
		lo, hi := min(i*chunk, n), min((i+1)*chunk, n)
		wg.Add(1)
		go func() {
			defer wg.Done()
			fillKeys(changes, src, keys[lo:hi], first+lo)
		}()
	}
	wg.Wait()
}
