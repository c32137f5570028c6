package main

import (
	"log/slog"
	"os"
	"runtime/debug"
	"testing"
)

// unsetenv removes name from the environment for the test (t.Setenv
// cannot unset) and puts it back afterwards. The test must not be parallel.
func unsetenv(t *testing.T, name string) {
	t.Helper()
	old, had := os.LookupEnv(name)
	t.Setenv(name, "") // registers the restore and refuses t.Parallel
	os.Unsetenv(name)
	if had {
		t.Cleanup(func() { os.Setenv(name, old) })
	}
}

// restoreGC puts back the collector settings the test process had.
func restoreGC(t *testing.T) {
	t.Helper()
	pct, limit := debug.SetGCPercent(100), debug.SetMemoryLimit(-1)
	debug.SetGCPercent(pct)
	t.Cleanup(func() { debug.SetGCPercent(pct); debug.SetMemoryLimit(limit) })
}

func TestServeGC_WithoutGOGCRaisesItUnderAMemoryLimit(t *testing.T) {
	restoreGC(t)
	unsetenv(t, "GOGC")
	unsetenv(t, "GOMEMLIMIT")
	debug.SetMemoryLimit(1 << 62)
	tuneServeGC(slog.New(slog.DiscardHandler))
	if got := debug.SetGCPercent(100); got != serveGCPercent {
		t.Errorf("GOGC after tuneServeGC = %d, want %d", got, serveGCPercent)
	}
	limit := debug.SetMemoryLimit(-1)
	if total := machineMemory(); total > 0 {
		if want := max(total/2, serveMemoryFloor); limit != want {
			t.Errorf("memory limit = %d, want half of %d (at least %d) = %d", limit, total, serveMemoryFloor, want)
		}
	}
}

func TestServeGC_GOGCInTheEnvironmentWins(t *testing.T) {
	restoreGC(t)
	t.Setenv("GOGC", "100")
	debug.SetGCPercent(73)
	debug.SetMemoryLimit(1 << 62)
	tuneServeGC(slog.New(slog.DiscardHandler))
	if got := debug.SetGCPercent(100); got != 73 {
		t.Errorf("GOGC after tuneServeGC with GOGC set = %d, want it left at 73", got)
	}
	if got := debug.SetMemoryLimit(-1); got != 1<<62 {
		t.Errorf("memory limit with GOGC set = %d, want it left alone", got)
	}
}
