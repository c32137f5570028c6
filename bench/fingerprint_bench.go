//go:build ignore

// fingerprint_bench measures the buyer fingerprint of docs/fingerprint.md
// on generated population tables of several sizes, de-identified under
// the policy of the fingerprint tests (k = 5, phone numbers pseudonymized,
// income declared accurate to 1000): per table size, the smallest leaked
// sample (rows, shuffled) that traces to its buyer among 20 with a
// false-match probability under 10^-6 and names nobody else, in every one
// of the trials, for three leaks (all columns; the pseudonyms dropped;
// the income dropped); the utility cost of a copy (the anonymizer's loss
// metric, the quasi-identifier and sensitive columns, income distortion);
// and the time to mark a copy and to trace a leak. It prints Markdown.
//
//	go run bench/fingerprint_bench.go -sizes 1000,10000,100000 -trials 10
package main

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/anonymizer/fingerprint"
)

const policy = `{"columns": {"身份证号": {"role": "identifying"}, "姓名": {"role": "identifying"},
 "手机号": {"role": "identifying", "action": "pseudonymize"},
 "性别": {"role": "quasi"}, "出生日期": {"role": "quasi", "hierarchy": "date"},
 "行政区划": {"role": "quasi", "hierarchy": "division"},
 "学历": {"role": "insensitive"}, "职业": {"role": "insensitive"},
 "收入": {"role": "insensitive", "precision": "1000"}, "诊断": {"role": "sensitive"}},
 "k": 5, "l": "distinct:2", "suppression": 0.05}`

var ladder = []int{1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 75, 100, 150, 200, 300, 500, 1000}

func main() {
	sizes := flag.String("sizes", "1000,10000,100000", "table sizes (rows)")
	trials := flag.Int("trials", 10, "leaks per sample size")
	flag.Parse()
	fmt.Println("## Fingerprinted copies: smallest traceable leak and utility cost")
	fmt.Println()
	fmt.Printf("`go run bench/fingerprint_bench.go -sizes %s -trials %d` (bench/fingerprint.sh). Generated population tables,\n", *sizes, *trials)
	fmt.Println("de-identified with k = 5, distinct 2-diversity, phone numbers pseudonymized, income declared accurate to 1000;")
	fmt.Println("20 copies per release. A sample size counts when, in every trial (a random buyer, a random sample of the rows,")
	fmt.Println("shuffled), the leak traces to that buyer with false-match probability < 10⁻⁶ and names no other copy.")
	fmt.Println()
	fmt.Println("The machine is shared: wall-clock times rise with its load; CPU time (user + system) measures the work.")
	fmt.Println()
	fmt.Println("| rows | leak columns | smallest traceable sample (rows) | share of the table | marks in that sample | mark a copy (ms wall / CPU) | trace a 10 % leak (ms wall / CPU) |")
	fmt.Println("| ---: | --- | ---: | ---: | ---: | ---: | ---: |")
	var cost []string
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			fail(err)
		}
		cost = append(cost, measure(n, *trials))
	}
	fmt.Println()
	fmt.Println("Utility cost of a copy (the release against one buyer's copy). Quasi-identifiers and sensitive values are")
	fmt.Println("copied unchanged, so the anonymizer's loss metric, the classes and k/l are the release's; the income moves")
	fmt.Println("only below its declared precision:")
	fmt.Println()
	fmt.Println("| rows | loss metric of the release | copy's QI + sensitive rows identical (so its loss is the release's) | income cells marked | mean abs change | max change | mean relative change | income mean (release → copy) | pseudonyms shared by two copies |")
	fmt.Println("| ---: | --- | --- | ---: | ---: | ---: | ---: | --- | ---: |")
	for _, c := range cost {
		fmt.Println(c)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "fingerprint_bench:", err)
	os.Exit(1)
}

// measure prints the sample rows of one table size and returns its cost row.
func measure(rows, trials int) string {
	raw := anonymizer.SynthesizeTable(rows, 20)
	pol, err := anonymizer.ParsePolicy("policy", strings.NewReader(policy))
	if err != nil {
		fail(err)
	}
	specs := map[string]string{}
	cfg := anonymizer.Config{PseudonymKey: []byte("bench seller key"), Hierarchies: map[string]*anonymizer.Hierarchy{}}
	if err := pol.Apply(&cfg, specs); err != nil {
		fail(err)
	}
	for col, spec := range specs {
		h, err := anonymizer.ResolveHierarchy(raw, col, spec)
		if err != nil {
			fail(err)
		}
		cfg.Hierarchies[col] = h
	}
	res, err := anonymizer.Anonymize(context.Background(), raw, cfg)
	if err != nil {
		fail(err)
	}
	release := res.Table
	plan, err := fingerprint.NewPlan(release, pol, []string{"手机号"})
	if err != nil {
		fail(err)
	}
	platform := []byte("bench platform fingerprint key 32")
	copies := make([]*anonymizer.Table, 20)
	cands := make([]fingerprint.Copy, 20)
	var stats fingerprint.Stats
	var markTime, markCPU time.Duration
	for i := range copies {
		id := fmt.Sprintf("order-%02d", i)
		key, _ := fingerprint.OrderKey(platform, id)
		start, cpu := time.Now(), cpuTime()
		c, st, err := fingerprint.Embed(release, plan, key)
		markTime, markCPU = markTime+time.Since(start), markCPU+cpuTime()-cpu
		if err != nil {
			fail(err)
		}
		copies[i], cands[i], stats = c, fingerprint.Copy{ID: id, Key: key}, st
	}
	det, err := fingerprint.NewDetector(release, plan, cands)
	if err != nil {
		fail(err)
	}
	rng := rand.New(rand.NewPCG(uint64(rows), 7))
	var traceTime, traceCPU time.Duration
	for _, leakCols := range []struct {
		name string
		drop []string
	}{{"all", nil}, {"without the pseudonyms", []string{"手机号"}}, {"without the income", []string{"收入"}}} {
		found, marks := -1, 0
		for _, n := range ladder {
			if n > rows {
				break
			}
			ok, m := true, 0
			for tr := 0; tr < trials && ok; tr++ {
				buyer := rng.IntN(len(copies))
				leak := sample(copies[buyer], n, leakCols.drop, rng)
				r, err := det.Detect(leak, fingerprint.Options{})
				if err != nil {
					fail(err)
				}
				top := r.Candidates[0]
				named := 0
				for _, c := range r.Candidates {
					if c.Named {
						named++
					}
				}
				ok = top.ID == cands[buyer].ID && top.Named && named == 1 && top.FalseMatchProbability < 1e-6
				m = r.Marks
			}
			if ok {
				found, marks = n, m
				break
			}
		}
		leak := sample(copies[0], rows/10, leakCols.drop, rng)
		start, cpu := time.Now(), cpuTime()
		if _, err := fingerprint.Detect(leak, release, plan, cands, fingerprint.Options{}); err != nil {
			fail(err)
		}
		traceTime, traceCPU = time.Since(start), cpuTime()-cpu
		smallest, share := "none up to 1000", "–"
		if found > 0 {
			smallest, share = strconv.Itoa(found), fmt.Sprintf("%.3g %%", 100*float64(found)/float64(rows))
		}
		fmt.Printf("| %d | %s | %s | %s | %d | %.0f / %.0f | %.0f / %.0f |\n", rows, leakCols.name, smallest, share, marks,
			ms(markTime)/float64(len(copies)), ms(markCPU)/float64(len(copies)), ms(traceTime), ms(traceCPU))
	}
	return costRow(rows, res, release, copies, stats)
}

// sample is n random rows of t, shuffled, without the drop columns.
func sample(t *anonymizer.Table, n int, drop []string, rng *rand.Rand) *anonymizer.Table {
	var keep []int
	var header []string
	for i, h := range t.Header() {
		if !slices.Contains(drop, h) {
			keep, header = append(keep, i), append(header, h)
		}
	}
	out, _ := anonymizer.NewTable("leak", header)
	row := make([]string, len(keep))
	for _, r := range rng.Perm(t.Rows())[:n] {
		for j, c := range keep {
			row[j] = t.Value(r, c)
		}
		out.AppendRow(row, 0)
	}
	return out
}

// costRow compares the release with the first copy.
func costRow(rows int, res *anonymizer.Result, release *anonymizer.Table, copies []*anonymizer.Table, st fingerprint.Stats) string {
	cols := []string{"性别", "出生日期", "行政区划", "诊断"}
	same := multiset(release, cols) == multiset(copies[0], cols)
	shared := 0
	a := map[string]bool{}
	for _, v := range copies[0].Column("手机号").Dict {
		a[v] = true
	}
	for _, v := range copies[1].Column("手机号").Dict {
		if a[v] && v != "" && v != "*" {
			shared++
		}
	}
	d := st.Digits[0]
	return fmt.Sprintf("| %d | %.4f | %v | %d of %d | %.1f | %.0f | %.3g %% | %.1f → %.1f | %d |", rows, res.Metrics.Loss,
		same, d.Cells, rows, d.MeanAbsChange, d.MaxAbsChange, 100*d.MeanRelChange, mean(release, "收入"), mean(copies[0], "收入"), shared)
}

func multiset(t *anonymizer.Table, cols []string) string {
	idx := make([]int, len(cols))
	for i, c := range cols {
		idx[i] = t.ColumnIndex(c)
	}
	rows := make([]string, t.Rows())
	for r := range rows {
		var b strings.Builder
		for _, c := range idx {
			b.WriteString(t.Value(r, c))
			b.WriteByte(0)
		}
		rows[r] = b.String()
	}
	slices.Sort(rows)
	return strings.Join(rows, "\n")
}

func mean(t *anonymizer.Table, col string) float64 {
	c := t.Column(col)
	var sum float64
	var n int
	for r := range t.Rows() {
		if x, err := strconv.ParseFloat(c.Value(r), 64); err == nil {
			sum += x
			n++
		}
	}
	return sum / float64(n)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// cpuTime is the process's user + system time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
