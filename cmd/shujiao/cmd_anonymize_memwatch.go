package main

import (
	"context"
	"errors"
	"fmt"
	"runtime/metrics"
	"time"
)

// errMemoryLimit is the cause of a run stopped because its table and search
// need more memory than --memory-limit allows.
var errMemoryLimit = errors.New("memory limit exceeded")

// memoryWatch holds a run to its --memory-limit: the runtime's soft limit
// makes the collector work harder near it, and when the live heap after a
// collection still passes it the run cannot keep its promise, so it is
// stopped (its context cancelled) instead of taking the machine's memory.
type memoryWatch struct {
	limit  int64
	cancel context.CancelCauseFunc
	done   chan struct{}
}

// watchMemory starts watching the live heap against limit (bytes; ≤ 0:
// nothing is watched) and returns the context the run must use.
func watchMemory(ctx context.Context, limit int64) (context.Context, *memoryWatch) {
	ctx, cancel := context.WithCancelCause(ctx)
	w := &memoryWatch{limit: limit, cancel: cancel, done: make(chan struct{})}
	if limit <= 0 {
		return ctx, w
	}
	go func() {
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-w.done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				if err := w.check("the run"); err != nil {
					cancel(err)
					return
				}
			}
		}
	}()
	return ctx, w
}

// check returns an error naming the limit when the live heap (as of the
// last collection) is above it; phase says what was running.
func (w *memoryWatch) check(phase string) error {
	if w.limit <= 0 {
		return nil
	}
	if live := liveHeap(); live > w.limit {
		return fmt.Errorf("anonymize: --memory-limit %s: %s needs more (%s live after a collection); %w: raise the limit or set it to off",
			formatBytes(w.limit), phase, formatBytes(live), errMemoryLimit)
	}
	return nil
}

// stop ends the watch.
func (w *memoryWatch) stop() {
	close(w.done)
	w.cancel(nil)
}

func liveHeap() int64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return int64(s[0].Value.Uint64())
}

// formatBytes renders n in MiB (or KiB below one MiB).
func formatBytes(n int64) string {
	if n < 1<<20 {
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20))
}
