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

// parallelRows calls fn(lo, hi) over [0, n) in blocks of releaseBlock
// rows, on all cores. Blocks are disjoint: fn may write its rows of a
// shared slice without locks.
func parallelRows(n int, fn func(lo, hi int)) {
	blocks := (n + releaseBlock - 1) / releaseBlock
	parallelEach(blocks, func(b int) { fn(b*releaseBlock, min((b+1)*releaseBlock, n)) })
}

// parallelEach calls fn(i) for i in [0, n) on all cores, each worker
// taking the next i when done with its last.
func parallelEach(n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
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
