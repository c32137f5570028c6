package main

import (
	"fmt"
	"os"
	"runtime/pprof"
)

// startServeProfile writes a CPU profile of serve to the file named by
// SHUJIAO_CPUPROFILE, for benchmarks only (bench/loadbench -serverprofile):
// it runs from the start of serving until serve returns. SHUJIAO_MEMPROFILE
// names a file that receives the heap profile (with every allocation since
// the start: go tool pprof -sample_index=alloc_space) when serve returns.
// Unset, they do nothing. The returned stop is never nil.
func startServeProfile(env *cliEnv) (stop func(), err error) {
	return startProfile(env, "serve")
}

// startProfile is startServeProfile for the command named cmd (serve,
// anonymize: bench/anonymizer.md shows how to profile a run).
func startProfile(env *cliEnv, cmd string) (stop func(), err error) {
	stopMem := func() {}
	if path := env.getenv("SHUJIAO_MEMPROFILE"); path != "" {
		stopMem = func() {
			f, err := os.Create(path)
			if err != nil {
				fmt.Fprintf(env.stderr, "%s: SHUJIAO_MEMPROFILE: %v\n", cmd, err)
				return
			}
			defer f.Close()
			if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
				fmt.Fprintf(env.stderr, "%s: SHUJIAO_MEMPROFILE: %v\n", cmd, err)
			}
		}
	}
	path := env.getenv("SHUJIAO_CPUPROFILE")
	if path == "" {
		return stopMem, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("%s: SHUJIAO_CPUPROFILE: %w", cmd, err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: SHUJIAO_CPUPROFILE: %w", cmd, err)
	}
	return func() { pprof.StopCPUProfile(); f.Close(); stopMem() }, nil
}
