package anonymizer

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestReadParquetTimings prints, for the CSV file named by
// SHUJIAO_BENCH_PARQUET and the Parquet file beside it (the same name
// ending in .parquet), one Markdown table row measured in the same run:
// the CSV read (ReadFile), the Parquet read (ReadFile), both in wall
// milliseconds with CPU milliseconds, and the ratio CSV ÷ Parquet of each.
// SHUJIAO_BENCH_PARQUET_SKIP (comma-separated column names) skips those
// columns in both reads, as a policy that drops them does. It is a
// measurement for bench/anonymizer.sh, skipped unless the variable is set.
func TestReadParquetTimings(t *testing.T) {
	path := os.Getenv("SHUJIAO_BENCH_PARQUET")
	if path == "" {
		t.Skip("set SHUJIAO_BENCH_PARQUET to a CSV file with a .parquet beside it")
	}
	pq := strings.TrimSuffix(path, ".csv") + ".parquet"
	var opt ReadOptions
	if s := os.Getenv("SHUJIAO_BENCH_PARQUET_SKIP"); s != "" {
		opt.Skip = strings.Split(s, ",")
	}
	timeIt := func(p string) (wall, cpu float64, rows int) {
		runtime.GC()
		start, c := time.Now(), processCPU()
		tab, _, err := ReadFile(p, opt)
		if err != nil {
			t.Fatal(err)
		}
		cpu = float64((processCPU() - c).Microseconds()) / 1000
		wall = float64(time.Since(start).Microseconds()) / 1000
		return wall, cpu, tab.Rows()
	}
	if os.Getenv("SHUJIAO_BENCH_PARQUET_ONLY") != "" { // for profiling
		pw, pc, _ := timeIt(pq)
		fmt.Printf("| – | %.0f (%.0f) | – |\n", pw, pc)
		return
	}
	cw, cc, cr := timeIt(path)
	pw, pc, pr := timeIt(pq)
	if cr != pr {
		t.Fatalf("CSV %d rows, Parquet %d rows", cr, pr)
	}
	fmt.Printf("| %.0f (%.0f) | %.0f (%.0f) | %.2f (%.2f) |\n", cw, cc, pw, pc, cw/pw, cc/pc)
}
