package web

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/shujiao/shujiao/anonymizer"
)

// TestRiskChart_MatchesTheAnonymizersReport: the classes and the risk
// the report page draws, counted from the released table, are the figures
// the anonymizer reported for that release (classes, smallest class,
// suppressed records, highest and mean prosecutor risk, the share of
// records over each GB/T 42460-2023 threshold).
func TestRiskChart_MatchesTheAnonymizersReport(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	rows := [][]string{}
	for range 400 {
		rows = append(rows, []string{fmt.Sprint(18 + r.IntN(60)), []string{"男", "女"}[r.IntN(2)],
			[]string{"610102", "610103", "610104", "610402", "610502"}[r.IntN(5)], []string{"感冒", "胃炎", "骨折"}[r.IntN(3)]})
	}
	tbl := anonymizer.MustTable([]string{"age", "sex", "division", "diagnosis"}, rows...)
	for _, k := range []int{3, 5, 20} {
		hs := map[string]*anonymizer.Hierarchy{}
		for col, spec := range map[string]string{"age": "interval:5,10,20", "division": "division", "sex": "mask"} {
			h, err := anonymizer.ResolveHierarchy(tbl, col, spec)
			if err != nil {
				t.Fatal(err)
			}
			hs[col] = h
		}
		qis := []string{"age", "sex", "division"}
		res, err := anonymizer.Anonymize(context.Background(), tbl, anonymizer.Config{
			QuasiIdentifiers: qis, Sensitive: []string{"diagnosis"}, Hierarchies: hs,
			Models: anonymizer.Models{K: k, Suppression: 0.1},
		})
		if err != nil {
			t.Fatal(err)
		}
		sizes, suppressed := releaseClasses(res.Table, qis)
		p := profileRisk(sizes, suppressed)
		minSize := math.MaxInt
		for _, n := range sizes {
			minSize = min(minSize, n)
		}
		if len(sizes) != res.Classes || minSize != res.MinClassSize || suppressed != res.Suppressed {
			t.Errorf("k=%d: chart has %d classes (min %d), %d suppressed; report %d (min %d), %d", k,
				len(sizes), minSize, suppressed, res.Classes, res.MinClassSize, res.Suppressed)
		}
		near := func(a, b float64) bool { return math.Abs(a-b) < 1e-12 }
		if !near(p.Max, res.Risk.ProsecutorMax) || !near(p.Avg, res.Risk.ProsecutorAvg) {
			t.Errorf("k=%d: chart risk max %g avg %g, report %g %g", k, p.Max, p.Avg, res.Risk.ProsecutorMax, res.Risk.ProsecutorAvg)
		}
		for key, v := range res.Risk.RecordsAbove {
			if !near(p.Above[key], v) {
				t.Errorf("k=%d: chart has %g of records above %s, report %g", k, p.Above[key], key, v)
			}
		}
		t.Logf("k=%d: %d classes, %d suppressed, risk max %.3f, above 1/20 %.3f", k, len(sizes), suppressed, p.Max, p.Above["0.05"])
		sum := 0
		for _, b := range p.Bins {
			sum += b.Records
		}
		if sum != p.Records || p.Records != res.Table.Rows() {
			t.Errorf("k=%d: the bars hold %d records of %d, the release has %d", k, sum, p.Records, res.Table.Rows())
		}
	}
}
