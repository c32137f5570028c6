package anonymizer

import (
	"context"
	"math"
	"strings"
	"testing"
)

// naiveRelease recomputes a full-domain transformation from the definitions,
// on strings: generalize every row, group rows by their generalized
// quasi-identifiers, suppress classes smaller than k, and compute ARX's Loss
// as issue 3 item 7 defines it.
func naiveRelease(t *Table, hs map[string]*Hierarchy, qis []string, levels []int, k int) (classes, suppressed int, loss float64) {
	groups := map[string]int{}
	keys := make([]string, t.Rows())
	for r := 0; r < t.Rows(); r++ {
		parts := make([]string, len(qis))
		for i, q := range qis {
			parts[i], _ = hs[q].Generalize(t.Value(r, t.ColumnIndex(q)), levels[i])
		}
		keys[r] = strings.Join(parts, "\x00")
		groups[keys[r]]++
	}
	n := float64(t.Rows())
	prod := 1.0
	for i, q := range qis {
		h := hs[q]
		share := map[string]float64{}
		for _, row := range h.rows {
			share[row[levels[i]]] += 1 / float64(h.Size())
		}
		var sum float64
		for r := 0; r < t.Rows(); r++ {
			if groups[keys[r]] < k {
				sum++
				continue
			}
			g, _ := h.Generalize(t.Value(r, t.ColumnIndex(q)), levels[i])
			sum += share[g]
		}
		hs := float64(h.Size())
		prod *= 1 + math.Max(0, (sum-n/hs)/(n-n/hs))
	}
	for _, c := range groups {
		if c < k {
			suppressed += c
		} else {
			classes++
		}
	}
	return classes, suppressed, math.Pow(prod, 1/float64(len(qis))) - 1
}

func TestAnonymize_AdultReferenceCaseMatchesARX(t *testing.T) {
	tab, hs := MustAdult(t)
	res, err := Anonymize(context.Background(), tab, Config{QuasiIdentifiers: adultQIs, Hierarchies: hs, Models: Models{K: 5, Suppression: 0.05}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"sex": 0, "age": 3, "race": 0, "marital-status": 0, "education": 1, "native-country": 1, "workclass": 1, "occupation": 2}
	for q, l := range want {
		if res.Transformation[q] != l {
			t.Errorf("level of %s = %d, want %d (ARX)", q, res.Transformation[q], l)
		}
	}
	if got, want := res.Suppressed, 1458; got != want {
		t.Errorf("suppressed = %d, want %d", got, want)
	}
	if got, want := res.Classes, 399; got != want {
		t.Errorf("classes = %d, want %d", got, want)
	}
	if got := res.Metrics.Loss; math.Abs(got-0.2519) > 5e-5 {
		t.Errorf("loss = %.5f, want 0.2519", got)
	}
	if !res.Optimal {
		t.Error("optimal = false, want true")
	}
	classes, suppressed, loss := naiveRelease(tab, hs, adultQIs, res.Levels, 5)
	if classes != res.Classes || suppressed != res.Suppressed || math.Abs(loss-res.Metrics.Loss) > 1e-12 {
		t.Errorf("naive recomputation: %d classes, %d suppressed, loss %v; engine %d, %d, %v",
			classes, suppressed, loss, res.Classes, res.Suppressed, res.Metrics.Loss)
	}
	if got, want := res.RowsOut, tab.Rows(); got != want {
		t.Errorf("rows_out = %d, want rows_in %d (suppressed rows are kept with *)", got, want)
	}
	stars := 0
	for r := 0; r < res.Table.Rows(); r++ {
		if res.Table.Value(r, res.Table.ColumnIndex("age")) == Suppressed {
			for _, q := range adultQIs {
				if v := res.Table.Value(r, res.Table.ColumnIndex(q)); v != Suppressed {
					t.Fatalf("row %d: suppressed record has %s = %q, want *", r, q, v)
				}
			}
			stars++
		}
	}
	if stars != 1458 {
		t.Errorf("%d rows written with *, want 1458", stars)
	}
}

func TestAnonymize_NaiveRecomputationAgreesAtSeveralNodes(t *testing.T) {
	tab, hs := MustAdult(t)
	cfg := Config{QuasiIdentifiers: adultQIs, Hierarchies: hs, Models: Models{K: 5, Suppression: 1}}
	if err := cfg.validate(tab); err != nil {
		t.Fatal(err)
	}
	dims, sens, stride, err := prepare(tab, cfg)
	if err != nil {
		t.Fatal(err)
	}
	e := buildBottom(tab, newLattice(dims), sens, stride)
	s := newSearcher(e, cfg.Models, MetricLoss, nil)
	for _, levels := range [][]int{{0, 0, 0, 0, 0, 0, 0, 0}, {1, 1, 1, 1, 1, 1, 1, 1}, {0, 4, 0, 2, 3, 2, 2, 1}, {1, 2, 0, 1, 2, 0, 1, 0}} {
		n := s.evaluate(e.generalize(e.bottom, levels, &s.ht, nil), true)
		classes, suppressed, loss := naiveRelease(tab, hs, adultQIs, levels, 5)
		if int(n.suppressed) != suppressed || len(n.fs.counts)-len(n.outliers) != classes || math.Abs(n.score-loss) > 1e-12 {
			t.Errorf("levels %v: engine %d classes, %d suppressed, loss %v; naive %d, %d, %v",
				levels, len(n.fs.counts)-len(n.outliers), n.suppressed, n.score, classes, suppressed, loss)
		}
	}
}
