package anonymizer

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// workers returns searchers for n goroutines: they share the encoded table,
// the scorer and the models, and each has its own hash table and checker
// scratch space.
func (s *searcher) workers() []*searcher {
	n := min(runtime.GOMAXPROCS(0), 8)
	ws := make([]*searcher, n)
	ws[0] = s
	for i := 1; i < n; i++ {
		ws[i] = &searcher{e: s.e, models: s.models, ck: newChecker(s.models, s.e.sens), sc: s.sc, metric: s.metric, maxOut: s.maxOut, maxClasses: s.maxClasses, dropRef: s.dropRef}
	}
	return ws
}

// parallelFor calls fn(w, i) for i in [0, n), spreading the calls over the
// workers; each worker is used by one goroutine at a time. Node counts of
// the helpers are added to the first worker's. Two calls already go to two
// workers: on large tables each is a roll-up of millions of classes (a
// level of three checks or hubs, run on one core, left the other idle for
// most of a second).
func parallelFor(ws []*searcher, n int, fn func(w *searcher, i int)) {
	if len(ws) == 1 || n < 2 {
		for i := 0; i < n; i++ {
			fn(ws[0], i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for _, w := range ws {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				fn(w, i)
			}
		}()
	}
	wg.Wait()
	for _, w := range ws[1:] {
		ws[0].checked += w.checked
		ws[0].aborted += w.aborted
		ws[0].sizeStopped += w.sizeStopped
		ws[0].pairEstimated += w.pairEstimated
		w.checked, w.aborted, w.sizeStopped, w.pairEstimated = 0, 0, 0, 0
	}
}
