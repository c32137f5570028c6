package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"runtime/metrics"
	"strconv"
	"sync"
	"time"
)

// errMemoryLimit is the cause of a run stopped because its table and search
// need more memory than --memory-limit allows.
var errMemoryLimit = errors.New("memory limit exceeded")

// memoryWatch holds a run to its --memory-limit: the runtime's soft limit
// makes the collector work harder near it, and when the live heap after a
// collection still passes it the run cannot keep its promise, so it is
// stopped (its context cancelled) instead of taking the machine's memory.
// The heap is not all a process holds: a spilled run's mapped pages, the
// stacks, the runtime's own memory and pages not yet given back count in
// its resident set too, so the watch also reads that (the RSS, as
// /usr/bin/time or the kernel's OOM killer see it): above the limit it
// first gives the spill's pages back (trim), and only if what the run
// added to the RSS since it began is still above the limit does it stop
// the run (a process that ran other work before — a test binary — keeps
// pages the run never used). Under the race detector the RSS is not read:
// its shadow memory is several times the program's.
type memoryWatch struct {
	limit  int64
	cancel context.CancelCauseFunc
	done   chan struct{}
	// resident returns the process's resident bytes (0: unknown), base
	// what it was when the watch began.
	resident func() int64
	base     int64
	mu       sync.Mutex
	trim     func() // gives a spill's resident pages back; nil: no spill
}

// watchMemory starts watching the live heap against limit (bytes; ≤ 0:
// nothing is watched) and returns the context the run must use.
func watchMemory(ctx context.Context, limit int64) (context.Context, *memoryWatch) {
	ctx, cancel := context.WithCancelCause(ctx)
	w := &memoryWatch{limit: limit, cancel: cancel, done: make(chan struct{}), resident: residentBytes}
	if raceDetector {
		w.resident = func() int64 { return 0 }
	}
	w.base = w.resident()
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
// last collection) is above it, or the resident set is, even after the
// spill's pages were given back; phase says what was running.
func (w *memoryWatch) check(phase string) error {
	if w.limit <= 0 {
		return nil
	}
	if live := liveHeap(); live > w.limit {
		return fmt.Errorf("anonymize: --memory-limit %s: %s needs more (%s live after a collection); %w: raise the limit or set it to off",
			formatBytes(w.limit), phase, formatBytes(live), errMemoryLimit)
	}
	rss := w.resident()
	if rss-w.base <= w.limit {
		return nil
	}
	w.mu.Lock()
	trim := w.trim
	w.mu.Unlock()
	if trim != nil {
		trim()
		rss = w.resident()
	}
	if rss-w.base <= w.limit {
		return nil
	}
	return fmt.Errorf("anonymize: --memory-limit %s: %s needs more (%s resident); %w: raise the limit or set it to off",
		formatBytes(w.limit), phase, formatBytes(rss-w.base), errMemoryLimit)
}

// trimWith makes the watch give the spill's pages back (trim) before it
// judges the resident set.
func (w *memoryWatch) trimWith(trim func()) {
	w.mu.Lock()
	w.trim = trim
	w.mu.Unlock()
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

// residentBytes returns the process's resident set size (Linux:
// /proc/self/statm's second field, in pages), 0 where it cannot be read.
func residentBytes() int64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := bytes.Fields(b)
	if len(f) < 2 {
		return 0
	}
	pages, err := strconv.ParseInt(string(f[1]), 10, 64)
	if err != nil {
		return 0
	}
	return pages * int64(os.Getpagesize())
}
