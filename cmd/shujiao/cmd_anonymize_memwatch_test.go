package main

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// The resident set counts what the heap does not (a spill's mapped pages):
// above the limit the watch first gives the spill's pages back, and stops
// the run only when that is not enough.
func TestMemoryWatch_TheResidentSetIsHeldToTheLimitTrimmingTheSpillFirst(t *testing.T) {
	const limit = 1 << 30
	for _, tc := range []struct {
		name          string
		base          int64
		rss, afterRSS int64
		spill         bool
		stop          bool
		trims         int
	}{
		{"under the limit", 0, limit - 1, 0, true, false, 0},
		{"over, the spill's pages given back", 0, limit + 300<<20, limit - 200<<20, true, false, 1},
		{"over even after the spill's pages are given back", 0, limit + 300<<20, limit + 10<<20, true, true, 1},
		{"over with no spill", 0, limit + 1, 0, false, true, 0},
		{"unknown resident set", 0, 0, 0, true, false, 0},
		// a process that held 2 GiB before the run (a test binary): the run added less than the limit
		{"what the process held before the run does not count", 2 << 30, 2<<30 + limit - 1, 0, true, false, 0},
		{"what the run added beyond the limit does", 2 << 30, 2<<30 + limit + 1, 2<<30 + limit + 1, true, true, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, w := watchMemory(context.Background(), 0) // no goroutine: check is called directly
			w.limit, w.base = limit, tc.base
			rss, trims := tc.rss, 0
			w.resident = func() int64 { return rss }
			if tc.spill {
				w.trimWith(func() { trims++; rss = tc.afterRSS })
			}
			err := w.check("the search")
			if stopped := err != nil; stopped != tc.stop {
				t.Fatalf("check: %v, want stopped %v", err, tc.stop)
			}
			if err != nil && (!errors.Is(err, errMemoryLimit) || !strings.Contains(err.Error(), "resident") || !strings.Contains(err.Error(), "--memory-limit 1024 MiB")) {
				t.Errorf("error %q: want errMemoryLimit naming the limit and the resident set", err)
			}
			if trims != tc.trims {
				t.Errorf("spill trimmed %d times, want %d", trims, tc.trims)
			}
		})
	}
}

func TestResidentBytes_ReadsThisProcess(t *testing.T) {
	if n := residentBytes(); n < 1<<20 {
		t.Errorf("resident %d bytes: a Go test binary holds more than a MiB", n)
	}
}
