package main

import (
	"fmt"
	"os"
	"runtime/pprof"
)

// startServeProfile writes a CPU profile of serve to the file named by
// SHUJIAO_CPUPROFILE, for benchmarks only (bench/loadbench -serverprofile):
// it runs from the start of serving until serve returns. Unset, it does
// nothing. The returned stop is never nil.
func startServeProfile(env *cliEnv) (stop func(), err error) {
	path := env.getenv("SHUJIAO_CPUPROFILE")
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("serve: SHUJIAO_CPUPROFILE: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("serve: SHUJIAO_CPUPROFILE: %w", err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
