package jobs

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/shujiao/shujiao/anonymizer"
)

// mustWorkbook writes a generated population table of rows rows as an
// XLSX workbook and returns its path.
func mustWorkbook(tb testing.TB, rows int) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "pop.xlsx")
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	if err := anonymizer.Synthesize(f, rows, 5, anonymizer.FormatXLSX); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	return path
}

// An XLSX upload is profiled by streaming its sheet's rows, not by
// reading the workbook as a table: the heap stays within the budget of a
// CSV upload, whatever the number of rows (reading the sheet whole took
// several times the budget for these 150,000 rows).
func TestStoreUpload_AnXLSXWorkbookIsStreamedWithinTheBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a workbook of 150,000 rows")
	}
	const rows = 150_000
	path := mustWorkbook(t, rows)
	blobs, _ := mustBlobs(t)
	src, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	base := m.HeapInuse
	stop := make(chan struct{})
	peakc := peakHeap(stop)
	ref, info, err := StoreUpload(context.Background(), blobs, "pop.xlsx", src)
	close(stop)
	p := <-peakc
	if err != nil {
		t.Fatal(err)
	}
	peak := p - min(p, base)
	t.Logf("%.1f MB workbook of %d rows stored with a heap peak of %.1f MB above the baseline", float64(ref.Size)/1e6, info.Rows, float64(peak)/1e6)
	if got, want := info.Rows, int64(rows); got != want {
		t.Errorf("rows %d, want %d", got, want)
	}
	if got, want := info.Format, anonymizer.FormatXLSX; got != want {
		t.Errorf("format %q, want %q", got, want)
	}
	if got := strings.Join(info.Columns, ","); !strings.HasPrefix(got, "身份证号,姓名") {
		t.Errorf("columns %s, want the generated table's", got)
	}
	if peak > uploadBudget {
		t.Errorf("heap peak %.1f MB for a %d-row workbook: the sheet is held in memory", float64(peak)/1e6, rows)
	}
}
