package anonymizer

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// With a spilled table and a tiny threshold (every array of the search
// above 4 KiB is mapped: the finest node, each row's class, the hash
// tables and key buffers, the climb's nodes, the hubs and the pair
// projections), the search finds the same optimum with the same
// suppressed records, and the release is the same byte for byte (SHA-256),
// as the run in memory; the search's mapped arrays are all unmapped when
// it ends (issue 19 item 4). Not parallel: it lowers bigMin.
func TestSpill_SearchArraysMappedFindTheSameOptimum(t *testing.T) {
	old := bigMin
	bigMin = 4096
	defer func() { bigMin = old }()
	in := filepath.Join(t.TempDir(), "pop.csv")
	// more classes than partitionMin: the roll-ups from the finest node
	// are partitioned (scatter buffers, key buffers)
	if err := SynthesizeFile(in, 80000, 11, FormatCSV); err != nil {
		t.Fatal(err)
	}
	qi := []string{"姓名", "出生日期", "性别", "行政区划", "职业", "学历", "收入", "诊断"}
	read := func(spill *Spill) *Table {
		tab, _, err := ReadFile(in, ReadOptions{Skip: []string{"身份证号", "手机号"}})
		if err != nil {
			t.Fatal(err)
		}
		if spill != nil {
			if err := spill.Table(tab); err != nil {
				t.Fatal(err)
			}
			done := make(chan struct{})
			t.Cleanup(func() { close(done) })
			go func() { // pages given back all the while, as the CLI does
				for {
					select {
					case <-done:
						return
					case <-time.After(time.Millisecond):
						spill.Trim()
					}
				}
			}()
		}
		return tab
	}
	models := Models{K: 5, Suppression: 0.05}

	t.Run("the top-down search with pair projections", func(t *testing.T) {
		search := func(spill *Spill) (*node, *bigMem) {
			tab := read(spill)
			cfg := Config{QuasiIdentifiers: qi, Hierarchies: popHierarchies(t, tab), Models: models}
			dims, sens, stride, err := prepare(tab, cfg)
			if err != nil {
				t.Fatal(err)
			}
			e := buildBottom(tab, newLattice(dims), sens, stride)
			s := newSearcher(e, models, MetricLoss, nil)
			s.pairMin = 0 // the pair projections too
			s.skipEstimated = true
			start, err := s.greedy(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			best, err := s.topDown(context.Background(), start)
			if err != nil {
				t.Fatal(err)
			}
			if best == nil {
				t.Fatal("no solution")
			}
			if e.mem.on() {
				if e.mem.peak == 0 {
					t.Fatal("the spilled search mapped nothing")
				}
				if len(e.mem.sets) == 0 {
					t.Error("no kept set was mapped (the climb's nodes stay until the release)")
				}
				for f := range e.mem.sets {
					if !e.mem.pinned[f] {
						t.Errorf("a hub or pair projection of %d classes is still mapped after the search", f.classes())
					}
				}
				e.mem.freeAll()
				if e.mem.mapped != 0 || len(e.mem.live) != 0 {
					t.Errorf("after freeAll %d bytes in %d arrays still mapped", e.mem.mapped, len(e.mem.live))
				}
			}
			return best, e.mem
		}
		want, _ := search(nil)
		spill := NewSpill(t.TempDir())
		defer spill.Close()
		got, mem := search(spill)
		t.Logf("mapped at most %d bytes; levels %v, %d suppressed", mem.peak, got.levels, got.suppressed)
		if fmt.Sprint(got.levels) != fmt.Sprint(want.levels) || got.suppressed != want.suppressed {
			t.Errorf("spilled search: levels %v, %d suppressed; in memory: levels %v, %d suppressed",
				got.levels, got.suppressed, want.levels, want.suppressed)
		}
	})

	t.Run("the release", func(t *testing.T) {
		run := func(spill *Spill) ([]byte, *Result) {
			tab := read(spill)
			cfg := Config{QuasiIdentifiers: qi, Drop: []string{"身份证号", "手机号"}, Hierarchies: popHierarchies(t, tab), Models: models}
			before := int64(0)
			if spill != nil {
				before = spill.Bytes()
			}
			res, err := Anonymize(context.Background(), tab, cfg)
			if err != nil {
				t.Fatal(err)
			}
			if spill != nil {
				// what stays mapped is the release's codes alone
				var codes int64
				for _, c := range res.Table.Columns {
					codes += 4 * int64(len(c.Codes))
				}
				if got := spill.Bytes() - before; got != codes {
					t.Errorf("after the run the spill grew by %d bytes, the release's codes are %d: the search left arrays mapped", got, codes)
				}
			}
			var buf bytes.Buffer
			if err := WriteTable(&buf, res.Table, FormatCSV, WriteOptions{}); err != nil {
				t.Fatal(err)
			}
			return buf.Bytes(), res
		}
		want, wres := run(nil)
		spill := NewSpill(t.TempDir())
		defer spill.Close()
		got, gres := run(spill)
		if fmt.Sprint(gres.Levels) != fmt.Sprint(wres.Levels) || gres.Suppressed != wres.Suppressed {
			t.Errorf("spilled: levels %v, %d suppressed; in memory: levels %v, %d suppressed", gres.Levels, gres.Suppressed, wres.Levels, wres.Suppressed)
		}
		if sha256.Sum256(got) != sha256.Sum256(want) {
			t.Errorf("spilled release (%d bytes) differs from the in-memory release (%d bytes)", len(got), len(want))
		}
	})
}
