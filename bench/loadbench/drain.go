package main

import (
	"context"
	"fmt"
	"time"
)

// pendingSeals counts the delivery seals River is working or can work
// now: jobs of kind seal_delivery available or running. A seal that failed
// and waits out its backoff (retryable, scheduled) is not waited for: its
// next attempt may be minutes away (River's backoff grows as attempt⁴
// seconds), and the drain would time out on it; its next attempt runs
// when it comes, beside the paced phase's own seals.
const pendingSeals = `SELECT count(*) FROM river_job
WHERE kind = 'seal_delivery' AND state IN ('available', 'running')`

// drain is the wait between the flat-out and the paced phase: how many
// seals the flat-out phase left queued, how long the server took to work
// them off, and what that cost its CPU.
type drain struct {
	queued  int           // seal jobs not finished when the flat-out phase ended
	took    time.Duration // until none was left
	cpu     cpuTimes      // serve's and PostgreSQL's CPU over the wait
	skipped bool          // -drain=false: the paced phase started at once
}

// drainSeals waits, polling every 50 ms, until River has sealed every
// delivery the flat-out phase ordered, at most limit. The flat-out phase
// places orders faster than the server seals them (a seal is background
// work, by design: issue 18 item 2), so it ends with a queue; the paced
// phase measures the latency of ITS orders, and its own seals still run
// beside it and count (in the CPU the server has, and so in its latency).
// Starting it while the previous phase's backlog is still being sealed
// would measure the backlog instead. It returns an error when the queue
// is not empty after limit (a seal that keeps failing, or a server that
// seals slower than the benchmark assumes).
func (e *env) drainSeals(ctx context.Context, limit time.Duration) (drain, error) {
	before := e.cpu()
	start := time.Now()
	var d drain
	if err := e.owner.QueryRow(ctx, pendingSeals).Scan(&d.queued); err != nil {
		return d, fmt.Errorf("count queued seals: %w", err)
	}
	for n := d.queued; n > 0; {
		if time.Since(start) > limit {
			return d, fmt.Errorf("%d of %d seal jobs still queued after %s", n, d.queued, limit)
		}
		select {
		case <-ctx.Done():
			return d, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if err := e.owner.QueryRow(ctx, pendingSeals).Scan(&n); err != nil {
			return d, fmt.Errorf("count queued seals: %w", err)
		}
	}
	d.took = time.Since(start)
	d.cpu = e.cpu().sub(before)
	return d, nil
}
