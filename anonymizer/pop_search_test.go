package anonymizer

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
)

// BenchmarkPopSearch runs the search of bench/anonymizer.sh on a generated
// population table named by SHUJIAO_POP (a CSV made by `shujiao gen`), for
// profiling with -cpuprofile. The table is read once, outside the timer;
// each iteration encodes and searches it, and the last one logs its work
// and memory.
func BenchmarkPopSearch(b *testing.B) {
	path := os.Getenv("SHUJIAO_POP")
	if path == "" {
		b.Skip("set SHUJIAO_POP=pop.csv to time the search on a generated table")
	}
	tab, _, err := ReadFile(path, ReadOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("read; %s", memNow())
	hs := popHierarchies(b, tab)
	cfg := Config{QuasiIdentifiers: []string{"姓名", "出生日期", "性别", "行政区划", "职业", "学历", "收入", "诊断"},
		Drop: []string{"身份证号"}, Hierarchies: hs, Models: Models{K: 5, Suppression: 0.05}}
	if err := cfg.validate(tab); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		dims, sens, stride, err := prepare(tab, cfg)
		if err != nil {
			b.Fatal(err)
		}
		c0 := cpuSeconds()
		e := buildBottomPar(tab, newLattice(dims), sens, stride)
		b.Logf("bottom %.1f s CPU", cpuSeconds()-c0)
		c0 = cpuSeconds()
		s := newSearcher(e, cfg.Models, cfg.Metric, nil)
		s.skipEstimated = true // as Anonymize sets it for the exact search
		g, err := s.greedy(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		best, err := s.topDown(context.Background(), g)
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("search %.1f s CPU; levels %v suppressed %d score %.4f; checked %d (aborted %d), pair-pruned %d, work %d classes; bottom %d classes; %s",
			cpuSeconds()-c0, best.levels, best.suppressed, best.score, s.checked, s.aborted, s.pruned, e.work, e.bottom.classes(), memNow())
	}
}

// popHierarchies are the hierarchies bench/anonymizer.sh gives the
// generated population table.
func popHierarchies(tb testing.TB, tab *Table) map[string]*Hierarchy {
	tb.Helper()
	hs := map[string]*Hierarchy{}
	for col, spec := range map[string]string{"姓名": "mask", "出生日期": "date", "行政区划": "division",
		"学历": "ordered:小学,初中,中专,高中,大专,本科,硕士,博士", "收入": "interval:5000,10000,50000"} {
		h, err := ResolveHierarchy(tab, col, spec)
		if err != nil {
			tb.Fatal(err)
		}
		hs[col] = h
	}
	return hs
}

// BenchmarkPopAnonymize is BenchmarkPopSearch through Anonymize and the
// writer, as the command runs it (SHUJIAO_POP=pop.csv); the read is timed
// too.
func BenchmarkPopAnonymize(b *testing.B) {
	path := os.Getenv("SHUJIAO_POP")
	if path == "" {
		b.Skip("set SHUJIAO_POP=pop.csv to time the search on a generated table")
	}
	for b.Loop() {
		w0, c0 := time.Now(), cpuSeconds()
		tab, _, err := ReadFile(path, ReadOptions{})
		if err != nil {
			b.Fatal(err)
		}
		read := time.Since(w0)
		cfg := Config{QuasiIdentifiers: []string{"姓名", "出生日期", "性别", "行政区划", "职业", "学历", "收入", "诊断"},
			Drop: []string{"身份证号"}, Pseudonymize: []string{"手机号"}, PseudonymKey: []byte("0123456789abcdef0123"),
			Hierarchies: popHierarchies(b, tab), Models: Models{K: 5, Suppression: 0.05}}
		res, err := Anonymize(context.Background(), tab, cfg)
		if err != nil {
			b.Fatal(err)
		}
		if err := WriteFileAtomic(b.TempDir()+"/out.csv", res.Table, FormatCSV, WriteOptions{}); err != nil {
			b.Fatal(err)
		}
		b.Logf("read %v, search %v, total %v, %.1f s CPU; %s", read, res.SearchDuration, time.Since(w0), cpuSeconds()-c0, memNow())
	}
}

// memNow reports the live heap and the peak resident set so far.
func memNow() string {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b, _ := os.ReadFile("/proc/self/status")
	hwm := ""
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			hwm = strings.TrimSpace(strings.TrimPrefix(l, "VmHWM:"))
		}
	}
	return fmt.Sprintf("heap %d MB, peak RSS %s", ms.HeapAlloc>>20, hwm)
}
