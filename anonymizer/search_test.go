package anonymizer

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// bruteForce evaluates every node of the lattice, level by level, each
// rolled up from a child, and returns the best feasible node by the same
// order the search uses (metric, then total level, then levels).
func bruteForce(tb testing.TB, t *Table, cfg Config) *node {
	tb.Helper()
	e := encodeForTest(tb, t, cfg)
	lt, dims := e.lt, e.lt.dims
	s := newSearcher(e, cfg.Models, cfg.Metric, nil)
	var best *node
	prev := map[int]*freqSet{0: e.bottom}
	levels := make([]int, len(dims))
	consider := func(f *freqSet) {
		if n := s.evaluate(f, true); n.feasible && better(n, best) {
			best = n
		}
	}
	consider(e.bottom)
	for len(prev) > 0 {
		cur := map[int]*freqSet{}
		for id, f := range prev {
			for i := range dims {
				lt.levelsOf(id, levels)
				if levels[i] == dims[i].height {
					continue
				}
				levels[i]++
				nid := lt.id(levels)
				if cur[nid] == nil {
					cur[nid] = e.generalize(f, levels, &s.ht, nil)
					consider(cur[nid])
				}
			}
		}
		prev = cur
	}
	return best
}

// randomTable builds a table of n rows with three quasi-identifiers (age,
// zip, sex) and two sensitive columns (disease, income), skewed so that
// small classes and homogeneous classes occur.
func randomTable(r *rand.Rand, n int) (*Table, map[string]*Hierarchy) {
	diseases := []string{"flu", "asthma", "gastritis", "diabetes", "cancer"}
	t := MustTable([]string{"age", "zip", "sex", "disease", "income"})
	for i := 0; i < n; i++ {
		age := 18 + r.IntN(40)
		zip := fmt.Sprintf("71%d%02d", r.IntN(3), r.IntN(12))
		sex := []string{"M", "F"}[r.IntN(2)]
		d := diseases[min(r.IntN(7), len(diseases)-1)]
		income := strconv.Itoa(10 * (1 + r.IntN(6)))
		if err := t.AppendRow([]string{strconv.Itoa(age), zip, sex, d, income}, i+2); err != nil {
			panic(err)
		}
	}
	hs := map[string]*Hierarchy{}
	for name, spec := range map[string]string{"age": "interval:5,10,20", "zip": "mask:4"} {
		h, err := GenerateHierarchy(spec, t.Column(name).Dict)
		if err != nil {
			panic(err)
		}
		hs[name] = h
	}
	var rows [][]string
	for _, d := range diseases {
		group := "respiratory"
		if d == "gastritis" || d == "diabetes" || d == "cancer" {
			group = "other"
		}
		rows = append(rows, []string{d, group, "*"})
	}
	hs["disease"], _ = NewHierarchy("disease", rows)
	return t, hs
}

func TestSearch_MatchesBruteForceOnRandomTables(t *testing.T) {
	ld := func(s string) *LDiversity {
		l, err := ParseLDiversity(s)
		if err != nil {
			t.Fatal(err)
		}
		return &l
	}
	models := []Models{
		{K: 2}, {K: 3, Suppression: 0.1}, {K: 5, Suppression: 0.05}, {K: 10, Suppression: 0.3},
		{K: 2, L: ld("distinct:2"), Suppression: 0.1},
		{K: 2, L: ld("entropy:1.8"), Suppression: 0.2},
		{L: ld("recursive:3,2"), Suppression: 0.15},
		{K: 3, T: 0.3, TDistance: TEqual, Suppression: 0.1},
		{K: 2, T: 0.25, TDistance: THierarchical, Suppression: 0.2},
		{T: 0.3, TDistance: TOrdered, Suppression: 0},
		{L: ld("entropy:1.5")},
	}
	metrics := []Metric{MetricLoss, MetricPrecision, MetricDiscernibility, MetricEntropy}
	for seed := uint64(1); seed <= 6; seed++ {
		r := rand.New(rand.NewPCG(seed, 7))
		tab, hs := randomTable(r, 40+r.IntN(160))
		for mi, m := range models {
			for _, metric := range metrics {
				sensitive := []string{"disease"}
				if m.TDistance == TOrdered {
					sensitive = []string{"income"}
				}
				cfg := Config{QuasiIdentifiers: []string{"age", "zip", "sex"}, Sensitive: sensitive, Hierarchies: hs, Models: m, Metric: metric}
				name := fmt.Sprintf("seed %d, models %v, suppression %v, metric %s: the search finds the brute-force optimum", seed, m.Strings(), m.Suppression, metric)
				t.Run(strings.ReplaceAll(name, " ", "_")+strconv.Itoa(mi), func(t *testing.T) {
					want := bruteForce(t, tab, cfg)
					res, err := Anonymize(context.Background(), tab, cfg)
					if want == nil {
						if err != ErrNoSolution {
							t.Fatalf("brute force finds no feasible node, Anonymize returned %v, %v", res, err)
						}
						return
					}
					if err != nil {
						t.Fatal(err)
					}
					if fmt.Sprint(res.Levels) != fmt.Sprint(want.levels) {
						t.Errorf("levels %v, brute force %v (score %v)", res.Levels, want.levels, want.score)
					}
					if int64(res.Suppressed) != want.suppressed {
						t.Errorf("suppressed %d, brute force %d", res.Suppressed, want.suppressed)
					}
					if !res.Optimal {
						t.Error("optimal = false on a small lattice")
					}
				})
			}
		}
	}
}

func TestSearch_MatchesBruteForceOnAdult(t *testing.T) {
	if testing.Short() {
		t.Skip("brute force over Adult's 6,480 nodes is slow")
	}
	tab, hs := MustAdult(t)
	distinct2, _ := ParseLDiversity("distinct:2")
	entropy15, _ := ParseLDiversity("entropy:1.5")
	cases := []struct {
		name   string
		models Models
		qis    []string
		sens   []string
		metric Metric
	}{
		{"k=2 without suppression", Models{K: 2}, adultQIs, nil, MetricLoss},
		{"k=5 with 5% suppression", Models{K: 5, Suppression: 0.05}, adultQIs, nil, MetricLoss},
		{"k=10 with 5% suppression", Models{K: 10, Suppression: 0.05}, adultQIs, nil, MetricLoss},
		{"k=50 with 5% suppression", Models{K: 50, Suppression: 0.05}, adultQIs, nil, MetricLoss},
		{"k=5 with 2% suppression by precision", Models{K: 5, Suppression: 0.02}, adultQIs, nil, MetricPrecision},
		{"k=5 with 5% suppression by discernibility", Models{K: 5, Suppression: 0.05}, adultQIs, nil, MetricDiscernibility},
		{"k=5 with 5% suppression by entropy", Models{K: 5, Suppression: 0.05}, adultQIs, nil, MetricEntropy},
		{"distinct 2-diversity on salary-class with 5% suppression", Models{K: 5, L: &distinct2, Suppression: 0.05}, adultQIs, []string{"salary-class"}, MetricLoss},
		{"entropy 1.5-diversity on salary-class with 5% suppression", Models{L: &entropy15, Suppression: 0.05}, adultQIs, []string{"salary-class"}, MetricLoss},
		{"0.2-closeness on salary-class with 5% suppression", Models{K: 2, T: 0.2, Suppression: 0.05}, adultQIs, []string{"salary-class"}, MetricLoss},
		{"k=5 with 9 quasi-identifiers and 5% suppression", Models{K: 5, Suppression: 0.05}, append(append([]string(nil), adultQIs...), "salary-class"), nil, MetricLoss},
	}
	for _, c := range cases {
		t.Run(c.name+" finds the brute-force optimum", func(t *testing.T) {
			cfg := Config{QuasiIdentifiers: c.qis, Sensitive: c.sens, Hierarchies: hs, Models: c.models, Metric: c.metric}
			want := bruteForce(t, tab, cfg)
			res, err := Anonymize(context.Background(), tab, cfg)
			if err != nil {
				t.Fatal(err)
			}
			if got := res.Levels; fmt.Sprint(got) != fmt.Sprint(want.levels) {
				t.Errorf("levels %v, brute force %v", got, want.levels)
			}
			if got := scoreOf(res.Metrics, cfg.Metric); math.Abs(got-want.score) > 1e-9*math.Max(1, want.score) {
				t.Errorf("%s %v, brute force %v", cfg.Metric, got, want.score)
			}
		})
	}
}

func scoreOf(m Metrics, metric Metric) float64 {
	switch metric {
	case MetricPrecision:
		return m.Precision
	case MetricDiscernibility:
		return m.Discernibility
	case MetricEntropy:
		return m.NonUniformEntropy
	}
	return m.Loss
}
