package anonymizer

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// releaseBlock is the number of rows a worker of parallelRows takes at a
// time: large enough that handing out blocks costs nothing, small enough
// that two cores finish together.
const releaseBlock = 1 << 16

// spilledWorkers is the most workers that touch a spilled table's mapped
// codes at once: the spill gives pages back every 100 ms and the CLI
// leaves a quarter of --memory-limit for what is touched in between (and
// what the heap's limit does not count); each worker
// touches its own pages, so on a machine of many cores all of them at
// once could pass that share.
const spilledWorkers = 2

// workersFor is how many workers may pass over t's rows at once: every
// core, or spilledWorkers when t's codes are spilled.
func workersFor(t *Table) int {
	if t != nil && t.spill != nil {
		return min(spilledWorkers, runtime.GOMAXPROCS(0))
	}
	return runtime.GOMAXPROCS(0)
}

// parallelRows calls fn(lo, hi) over [0, n) in blocks of releaseBlock
// rows, on at most workers cores. Blocks are disjoint: fn may write its rows of a
// shared slice without locks.
func parallelRows(workers, n int, fn func(lo, hi int)) {
	blocks := (n + releaseBlock - 1) / releaseBlock
	parallelEach(workers, blocks, func(b int) { fn(b*releaseBlock, min((b+1)*releaseBlock, n)) })
}

// parallelEach calls fn(i) for i in [0, n) on at most workers cores, each worker
// taking the next i when done with its last.
func parallelEach(workers, n int, fn func(i int)) {
	workers = min(workers, n)
	if workers <= 1 {
		for i := range n {
			fn(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				fn(i)
			}
		})
	}
	wg.Wait()
}
