package main

import (
	"bufio"
	"log/slog"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
)

// serveGCPercent is serve's GOGC when the environment sets none: the heap
// may grow to five times what is live between collections instead of twice.
// A request allocates a few hundred short-lived objects and keeps none, so
// the live heap is small and collections are mostly marking work repeated
// for nothing: under the load benchmark the collector took a fifth of
// serve's CPU at the Go default of 100 (bench/RESULTS.md, t18b).
const serveGCPercent = 400

// serveMemoryFloor is the smallest soft memory limit serve sets itself.
const serveMemoryFloor = 256 << 20

// tuneServeGC sets the Go collector for serve when the operator has not:
// without GOGC in the environment, GOGC 400 and, without GOMEMLIMIT, a soft
// memory limit of half the memory of the machine (or of its cgroup), at
// least 256 MiB, so that the larger heap goal never takes the heap past
// that: near the limit the collector runs as often as it must, as with
// GOMEMLIMIT. GOGC set (GOGC=100 restores Go's default, GOGC=off too) leaves
// both alone; GOMEMLIMIT set is kept as the runtime read it. It logs what
// it set. The settings are the process's: call it once, from serve.
func tuneServeGC(log *slog.Logger) {
	if _, set := os.LookupEnv("GOGC"); set {
		log.Info("gc: GOGC set in the environment, left as it is", "gogc", os.Getenv("GOGC"))
		return
	}
	debug.SetGCPercent(serveGCPercent)
	limit := debug.SetMemoryLimit(-1)
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
		if total := machineMemory(); total > 0 {
			limit = max(total/2, serveMemoryFloor)
			debug.SetMemoryLimit(limit)
		}
	}
	log.Info("gc: serve's defaults (set GOGC to choose your own)", "gogc", serveGCPercent, "memory_limit_mib", limit>>20)
}

// machineMemory returns the bytes of memory this process may use: the
// cgroup v2 limit when there is one, else the machine's MemTotal; 0 when
// neither can be read.
func machineMemory() int64 {
	total := memTotal()
	if b, err := os.ReadFile("/sys/fs/cgroup/memory.max"); err == nil {
		if n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64); err == nil && n > 0 && (total == 0 || n < total) {
			return n
		}
	}
	return total
}

// memTotal reads MemTotal from /proc/meminfo (0 when it cannot).
func memTotal() int64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), "MemTotal:")
		if !ok {
			continue
		}
		fields := strings.Fields(rest) // "24683948 kB"
		if len(fields) == 2 && fields[1] == "kB" {
			if n, err := strconv.ParseInt(fields[0], 10, 64); err == nil {
				return n << 10
			}
		}
		return 0
	}
	return 0
}
