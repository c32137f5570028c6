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

// TestPopSearchTiming runs the search of bench/anonymizer.sh on a generated
// population table named by SHUJIAO_POP (a CSV made by `shujiao gen`), for
// profiling with -cpuprofile. It logs times, work and memory; it asserts
// nothing about them.
func TestPopSearchTiming(t *testing.T) {
	path := os.Getenv("SHUJIAO_POP")
	if path == "" {
		t.Skip("set SHUJIAO_POP=pop.csv to time the search on a generated table")
	}
	w0 := time.Now()
	tab, _, err := ReadFile(path, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	read := time.Since(w0)
	t.Logf("read %v; %s", read, memNow())
	hs := map[string]*Hierarchy{}
	for col, spec := range map[string]string{"姓名": "mask", "出生日期": "date", "行政区划": "division",
		"学历": "ordered:小学,初中,中专,高中,大专,本科,硕士,博士", "收入": "interval:5000,10000,50000"} {
		h, err := ResolveHierarchy(tab, col, spec)
		if err != nil {
			t.Fatal(err)
		}
		hs[col] = h
	}
	cfg := Config{QuasiIdentifiers: []string{"姓名", "出生日期", "性别", "行政区划", "职业", "学历", "收入", "诊断"},
		Drop: []string{"身份证号"}, Hierarchies: hs, Models: Models{K: 5, Suppression: 0.05}}
	if err := cfg.validate(tab); err != nil {
		t.Fatal(err)
	}
	dims, sens, stride, err := prepare(tab, cfg)
	if err != nil {
		t.Fatal(err)
	}
	e := buildBottom(tab, newLattice(dims), sens, stride)
	t.Logf("encoded; %s", memNow())
	c0, w1 := cpuSeconds(), time.Now()
	s := newSearcher(e, cfg.Models, cfg.Metric, nil)
	g, err := s.greedy(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("greedy; %s", memNow())
	t.Logf("greedy %v levels %v score %.4f work %d", time.Since(w1), g.levels, g.score, e.work)
	best, err := s.topDown(context.Background(), g)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("search; %s", memNow())
	t.Logf("read %v; search %v wall, %.1f s CPU; levels %v suppressed %d score %.4f; checked %d (aborted %d), pair-pruned %d, work %d classes; bottom %d classes",
		read, time.Since(w1), cpuSeconds()-c0, best.levels, best.suppressed, best.score, s.checked, s.aborted, s.pruned, e.work, e.bottom.classes())
}

// TestPopAnonymizeTiming is TestPopSearchTiming through Anonymize and the
// writer, as the command runs it (SHUJIAO_POP=pop.csv).
func TestPopAnonymizeTiming(t *testing.T) {
	path := os.Getenv("SHUJIAO_POP")
	if path == "" {
		t.Skip("set SHUJIAO_POP=pop.csv to time the search on a generated table")
	}
	w0, c0 := time.Now(), cpuSeconds()
	tab, _, err := ReadFile(path, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	read, readCPU := time.Since(w0), cpuSeconds()-c0
	w1 := time.Now()
	hs := map[string]*Hierarchy{}
	for col, spec := range map[string]string{"姓名": "mask", "出生日期": "date", "行政区划": "division",
		"学历": "ordered:小学,初中,中专,高中,大专,本科,硕士,博士", "收入": "interval:5000,10000,50000"} {
		h, err := ResolveHierarchy(tab, col, spec)
		if err != nil {
			t.Fatal(err)
		}
		hs[col] = h
	}
	hier := time.Since(w1)
	cfg := Config{QuasiIdentifiers: []string{"姓名", "出生日期", "性别", "行政区划", "职业", "学历", "收入", "诊断"},
		Drop: []string{"身份证号"}, Pseudonymize: []string{"手机号"}, PseudonymKey: []byte("0123456789abcdef0123"),
		Hierarchies: hs, Models: Models{K: 5, Suppression: 0.05}}
	w2 := time.Now()
	res, err := Anonymize(context.Background(), tab, cfg)
	if err != nil {
		t.Fatal(err)
	}
	anon := time.Since(w2)
	w3 := time.Now()
	if err := WriteFileAtomic(t.TempDir()+"/out.csv", res.Table, FormatCSV, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Logf("read %v (%.1f s CPU), hierarchies %v, anonymize %v (search %v), write %v; total %v, %.1f s CPU",
		read, readCPU, hier, anon, res.SearchDuration, time.Since(w3), time.Since(w0), cpuSeconds()-c0)
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
