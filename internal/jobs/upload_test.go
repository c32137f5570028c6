package jobs

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/internal/blob"
	"github.com/shujiao/shujiao/market"
)

// synthStream is a generated population table of rows rows, streamed.
func synthStream(rows int, seed int64) io.ReadCloser {
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(anonymizer.Synthesize(pw, rows, seed, anonymizer.FormatCSV)) }()
	return pr
}

// mustFiles lists the files under dir.
func mustFiles(tb testing.TB, dir string) []string {
	tb.Helper()
	var files []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Base(p) != "blob.key" {
			files = append(files, p)
		}
		return nil
	})
	return files
}

func mustBlobs(tb testing.TB) (*blob.Store, string) {
	tb.Helper()
	dir := tb.TempDir()
	s, err := blob.Open(dir)
	if err != nil {
		tb.Fatal(err)
	}
	return s, dir
}

func TestStoreUpload_CountsRowsAndDetectsInOnePassInEveryFormat(t *testing.T) {
	blobs, _ := mustBlobs(t)
	src := anonymizer.SynthesizeTable(2500, 8)
	for _, f := range []anonymizer.Format{anonymizer.FormatCSV, anonymizer.FormatJSONL, anonymizer.FormatParquet} {
		var buf bytes.Buffer
		if err := anonymizer.WriteTable(&buf, src, f, anonymizer.WriteOptions{}); err != nil {
			t.Fatal(err)
		}
		ref, info, err := StoreUpload(context.Background(), blobs, "people."+string(f), bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if info.Rows != 2500 || info.Format != f || len(info.Columns) != 10 || ref.Size != int64(buf.Len()) {
			t.Errorf("%s: rows %d format %s columns %d size %d", f, info.Rows, info.Format, len(info.Columns), ref.Size)
		}
		if !bytes.Contains(info.Detection, []byte(`"proposed_role":"identifying"`)) {
			t.Errorf("%s: detection proposes no identifying column: %.200s", f, info.Detection)
		}
	}
}

func TestStoreUpload_ACorruptParquetFileIsAnUnreadableTable(t *testing.T) {
	blobs, _ := mustBlobs(t)
	ref, _, err := StoreUpload(context.Background(), blobs, "x.parquet", bytes.NewReader([]byte("PAR1 not really PAR1")))
	var me *market.Error
	if !errors.As(err, &me) || me.Code != "unreadable_table" {
		t.Fatalf("err %v, want unreadable_table", err)
	}
	if !ref.Created {
		t.Fatal("the stored blob is not returned for the caller to remove")
	}
}

// endless yields CSV rows forever and counts the bytes read; after
// cancelAt bytes it calls cancel, like a client that goes away.
type endless struct {
	read     atomic.Int64
	cancelAt int64
	cancel   func()
	head     bool
}

func (e *endless) Read(p []byte) (int, error) {
	if !e.head {
		e.head = true
		return copy(p, "a,b,c\n"), nil
	}
	n := 0
	for n+6 <= len(p) {
		n += copy(p[n:], "1,2,3\n")
	}
	if e.read.Add(int64(n)) > e.cancelAt {
		e.cancel()
	}
	return n, nil
}

func TestStoreUpload_AClientThatGoesAwayStopsTheWorkAndLeavesNoFile(t *testing.T) {
	blobs, dir := mustBlobs(t)
	ctx, cancel := context.WithCancel(context.Background())
	body := &endless{cancelAt: 8 << 20, cancel: cancel}
	done := make(chan error, 1)
	go func() {
		_, _, err := StoreUpload(ctx, blobs, "endless.csv", body)
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err %v, want context.Canceled", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("the upload of an endless body did not stop when its context ended")
	}
	if n := body.read.Load(); n > 9<<20 {
		t.Errorf("%d bytes read after the cancel at 8 MiB", n)
	}
	if files := mustFiles(t, filepath.Join(dir, "blobs")); len(files) != 0 {
		t.Errorf("files left behind: %v", files)
	}
}

// peakHeap samples the heap in use every few milliseconds until stop.
func peakHeap(stop <-chan struct{}) <-chan uint64 {
	out := make(chan uint64, 1)
	go func() {
		var peak uint64
		var m runtime.MemStats
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapInuse)
			select {
			case <-stop:
				out <- peak
				return
			case <-t.C:
			}
		}
	}()
	return out
}

// uploadPeak stores a generated table of rows rows and returns its size
// and the heap's peak above what it was before.
func uploadPeak(tb testing.TB, blobs *blob.Store, rows int) (size int64, peak uint64) {
	tb.Helper()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	base := m.HeapInuse
	stop := make(chan struct{})
	peakc := peakHeap(stop)
	src := synthStream(rows, 3)
	defer src.Close()
	ref, info, err := StoreUpload(context.Background(), blobs, "pop.csv", src)
	close(stop)
	p := <-peakc
	if err != nil {
		tb.Fatal(err)
	}
	if info.Rows != int64(rows) {
		tb.Fatalf("rows %d, want %d", info.Rows, rows)
	}
	if err := blobs.Delete(ref.SHA256); err != nil {
		tb.Fatal(err)
	}
	return ref.Size, p - min(p, base)
}

// uploadBudget is the heap one upload may take: its sample (at most
// 4 MiB of text), the parser's and the store's buffers, and the garbage
// the collector lets grow beside them.
const uploadBudget = 24 << 20

// The heap an upload needs is its sample and buffers, not its file: a
// 68 MB table is stored and profiled within uploadBudget (reading it as
// a table took 3.5 times its size).
func TestStoreUpload_MemoryIsBoundedNotTheFile(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a 68 MB table")
	}
	blobs, _ := mustBlobs(t)
	size, peak := uploadPeak(t, blobs, 700_000)
	t.Logf("%.1f MB stored with a heap peak of %.1f MB above the baseline", float64(size)/1e6, float64(peak)/1e6)
	if size < 50e6 {
		t.Fatalf("the generated table is only %d bytes", size)
	}
	if peak > uploadBudget {
		t.Errorf("heap peak %.1f MB for a %.1f MB upload: the upload is held in memory", float64(peak)/1e6, float64(size)/1e6)
	}
}

// Several uploads at once each keep their own bounded sample: four
// tables of 29 MB (116 MB in all) are stored within four budgets (96 MB).
func TestStoreUpload_ParallelUploadsDoNotAddUpToTheirFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("generates four 29 MB tables")
	}
	blobs, _ := mustBlobs(t)
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	base := m.HeapInuse
	stop := make(chan struct{})
	peakc := peakHeap(stop)
	var wg sync.WaitGroup
	var total atomic.Int64
	for i := range 4 {
		wg.Go(func() {
			src := synthStream(300_000, int64(i))
			defer src.Close()
			ref, _, err := StoreUpload(context.Background(), blobs, "pop.csv", src)
			if err != nil {
				t.Error(err)
			}
			total.Add(ref.Size)
		})
	}
	wg.Wait()
	close(stop)
	peak := <-peakc - base
	t.Logf("4 uploads of %.1f MB in all, heap peak %.1f MB above the baseline", float64(total.Load())/1e6, float64(peak)/1e6)
	if peak > 4*uploadBudget || peak > uint64(total.Load()) {
		t.Errorf("heap peak %.1f MB for %.1f MB of uploads", float64(peak)/1e6, float64(total.Load())/1e6)
	}
}

// BenchmarkStoreUpload reports the throughput and the heap peak of storing
// and profiling a generated CSV table of 500,000 rows (about 49 MB).
func BenchmarkStoreUpload(b *testing.B) {
	blobs, _ := mustBlobs(b)
	for b.Loop() {
		size, peak := uploadPeak(b, blobs, 500_000)
		b.SetBytes(size)
		b.ReportMetric(float64(peak)/1e6, "peak-heap-MB")
		b.ReportMetric(float64(peak)/(float64(size)/1e6), "heap-bytes/MB")
	}
}
