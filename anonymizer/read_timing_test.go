package anonymizer

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"testing"
	"time"
)

// TestReadFileTimings prints, for the file named by SHUJIAO_BENCH_READ, one
// Markdown table row: the bare encoding/csv pass (records discarded), the
// table read through encoding/csv (the reader before issue 19) and the
// parallel table read, in milliseconds, and the ratio read ÷ bare. It is
// a measurement for bench/anonymizer.sh, skipped unless the variable is set.
func TestReadFileTimings(t *testing.T) {
	path := os.Getenv("SHUJIAO_BENCH_READ")
	if path == "" {
		t.Skip("set SHUJIAO_BENCH_READ to a CSV file")
	}
	var cpus []string
	timeIt := func(f func() error) float64 {
		runtime.GC()
		start, cpu := time.Now(), processCPU()
		if err := f(); err != nil {
			t.Fatal(err)
		}
		cpus = append(cpus, fmt.Sprintf("%.0f", float64((processCPU()-cpu).Milliseconds())))
		return float64(time.Since(start).Microseconds()) / 1000
	}
	readWith := func(block int) func() error {
		return func() error {
			f, err := os.Open(path)
			if err != nil {
				return err
			}
			defer f.Close()
			st, _ := f.Stat()
			_, err = readDelimitedBy(bufio.NewReaderSize(f, 1<<20), path, 0, st.Size(), nil, nil, block)
			return err
		}
	}
	bare := timeIt(func() error {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		return bareCSV(bufio.NewReaderSize(f, 1<<20))
	})
	var seq float64
	if os.Getenv("SHUJIAO_BENCH_READ_SEQ") != "" {
		seq = timeIt(readWith(0))
	}
	par := timeIt(readWith(readBlockSize))
	fmt.Printf("| %.0f | %.0f | %.0f | %.2f | %v |\n", bare, seq, par, par/bare, cpus)
}
