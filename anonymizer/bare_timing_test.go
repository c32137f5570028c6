package anonymizer

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"testing"
	"time"
)

// TestBareParseTimings prints, for the CSV file named by
// SHUJIAO_BENCH_BARE, one Markdown row: the wall and CPU milliseconds of a
// bare encoding/csv pass over it (the yardstick of issue 19). It is
// TestReadFileTimings without the reader's own pass, for files whose table
// would not fit in memory (bench/anonymizer.sh, 50 M rows).
func TestBareParseTimings(t *testing.T) {
	path := os.Getenv("SHUJIAO_BENCH_BARE")
	if path == "" {
		t.Skip("set SHUJIAO_BENCH_BARE to a CSV file")
	}
	runtime.GC()
	start, cpu := time.Now(), processCPU()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := bareCSV(bufio.NewReaderSize(f, 1<<20)); err != nil {
		t.Fatal(err)
	}
	fmt.Printf("| %.0f | %d |\n", float64(time.Since(start).Microseconds())/1000, (processCPU() - cpu).Milliseconds())
}
