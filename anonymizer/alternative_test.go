package anonymizer

import (
	"context"
	"maps"
	"math"
	"strings"
	"testing"
)

// aggregateLoss is metrics.loss from the per-column losses.
func aggregateLoss(qis []string, cl map[string]float64) float64 {
	prod := 1.0
	for _, q := range qis {
		prod *= 1 + cl[q]
	}
	return math.Pow(prod, 1/float64(len(qis))) - 1
}

func TestColumnLoss_AggregatesToTheReportsLossOnAdult(t *testing.T) {
	tab, hs := MustAdult(t)
	for _, drop := range []bool{false, true} {
		cfg := Config{QuasiIdentifiers: adultQIs, Hierarchies: hs, Models: Models{K: 5, Suppression: 0.05}, DropSuppressed: drop}
		res, err := Anonymize(context.Background(), tab, cfg)
		if err != nil {
			t.Fatal(err)
		}
		rep := NewReport(res, cfg, "adult.csv", "out.csv", nil)
		if got, want := len(rep.ColumnLoss), len(adultQIs); got != want {
			t.Fatalf("drop=%v: %d column losses, want %d", drop, got, want)
		}
		if got, want := aggregateLoss(adultQIs, rep.ColumnLoss), rep.Metrics.Loss; math.Abs(got-want) > 1e-9 {
			t.Errorf("drop=%v: aggregate of column_loss = %.12f, want metrics.loss %.12f", drop, got, want)
		}
		// a column kept as is loses only its suppressed records
		if got, want := rep.ColumnLoss["sex"], float64(res.Suppressed)/float64(res.RowsIn); math.Abs(got-want) > 1e-12 {
			t.Errorf("drop=%v: loss of sex (level 0) = %.6f, want suppressed share %.6f", drop, got, want)
		}
		if rep.ColumnLoss["age"] <= rep.ColumnLoss["sex"] {
			t.Errorf("drop=%v: age (level 3) loses %.4f, no more than sex (level 0) %.4f", drop, rep.ColumnLoss["age"], rep.ColumnLoss["sex"])
		}
	}
}

func TestAlternatives_EachSatisfiesTheModelsAndIsReleasedAgainWhenCapped(t *testing.T) {
	tab, hs := MustAdult(t)
	ctx := context.Background()
	cfg := Config{QuasiIdentifiers: adultQIs, Hierarchies: hs, Models: Models{K: 5, Suppression: 0.05}}
	best, err := Anonymize(ctx, tab, cfg)
	if err != nil {
		t.Fatal(err)
	}
	var calls, lastDone, lastTotal int64
	pc := cfg
	pc.Progress = func(done, total int64) { calls, lastDone, lastTotal = calls+1, done, total }
	alts, err := Alternatives(ctx, tab, pc, best, 5)
	if err != nil {
		t.Fatal(err)
	}
	if calls == 0 || lastDone != calls || lastDone > lastTotal {
		t.Errorf("progress called %d times, last %d of %d; want once per search, never past the total", calls, lastDone, lastTotal)
	}
	if len(alts) == 0 || len(alts) > 5 {
		t.Fatalf("%d alternatives, want 1 to 5", len(alts))
	}
	for i, a := range alts {
		name := a.Relaxed + "≤" + string(rune('0'+a.Cap))
		if maps.Equal(a.Transformation, best.Transformation) {
			t.Errorf("%s: the released transformation listed as an alternative", name)
		}
		if a.Transformation[a.Relaxed] > a.Cap || a.Cap >= best.Transformation[a.Relaxed] {
			t.Errorf("%s: level %d, cap %d, released level %d", name, a.Transformation[a.Relaxed], a.Cap, best.Transformation[a.Relaxed])
		}
		if a.Loss < best.Metrics.Loss-1e-12 {
			t.Errorf("%s: loss %.4f below the optimum's %.4f", name, a.Loss, best.Metrics.Loss)
		}
		if i > 0 && a.Loss < alts[i-1].Loss {
			t.Errorf("%s: not ordered by loss", name)
		}
		if a.MinClassSize < 5 || float64(a.Suppressed) > 0.05*float64(tab.Rows()) {
			t.Errorf("%s: min class %d, suppressed %d: does not satisfy 5-anonymity within 5%%", name, a.MinClassSize, a.Suppressed)
		}
		levels := make([]int, len(adultQIs))
		for j, q := range adultQIs {
			levels[j] = a.Transformation[q]
		}
		classes, suppressed, loss := naiveRelease(tab, hs, adultQIs, levels, 5)
		if classes != a.Classes || suppressed != a.Suppressed || math.Abs(loss-a.Loss) > 1e-9 {
			t.Errorf("%s: classes %d, suppressed %d, loss %.6f; recomputed %d, %d, %.6f", name, a.Classes, a.Suppressed, a.Loss, classes, suppressed, loss)
		}
		if got := aggregateLoss(adultQIs, a.ColumnLoss); math.Abs(got-a.Loss) > 1e-9 {
			t.Errorf("%s: column losses aggregate to %.6f, loss %.6f", name, got, a.Loss)
		}
		// picking it: the search capped at its levels releases it again
		c := cfg
		if err := CapHierarchies(tab, &c, a.Transformation); err != nil {
			t.Fatal(err)
		}
		again, err := Anonymize(ctx, tab, c)
		if err != nil {
			t.Fatalf("%s: capped run: %v", name, err)
		}
		if !maps.Equal(again.Transformation, a.Transformation) || math.Abs(again.Metrics.Loss-a.Loss) > 1e-12 {
			t.Errorf("%s: capped run released %v (loss %.4f), want %v (loss %.4f)", name, again.Transformation, again.Metrics.Loss, a.Transformation, a.Loss)
		}
	}
	if got := cfg.Hierarchies["age"].Height(); got != 4 {
		t.Errorf("the caller's age hierarchy has height %d after capping, want 4 (not modified)", got)
	}
}

func TestCapHierarchies_RefusesWhatIsNotAQuasiIdentifierLevel(t *testing.T) {
	tab, hs := MustAdult(t)
	cfg := Config{QuasiIdentifiers: adultQIs, Hierarchies: hs, Models: Models{K: 5}}
	for _, c := range []struct {
		name   string
		levels map[string]int
		want   string
	}{
		{"a column that is not a quasi-identifier", map[string]int{"salary-class": 0}, "not a quasi-identifier"},
		{"a level above the hierarchy's top", map[string]int{"age": 9}, "want 0 to 4"},
		{"a negative level", map[string]int{"age": -1}, "want 0 to 4"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cc := cfg
			err := CapHierarchies(tab, &cc, c.levels)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want one saying %q", err, c.want)
			}
		})
	}
}

func TestPolicy_MaxLevelsMustNameQuasiIdentifiers(t *testing.T) {
	for _, c := range []struct {
		name string
		json string
		ok   bool
	}{
		{"a quasi-identifier at level 1", `{"columns":{"age":{"role":"quasi","hierarchy":"interval:5,10"}},"k":2,"max_levels":{"age":1}}`, true},
		{"a sensitive column", `{"columns":{"age":{"role":"quasi"},"d":{"role":"sensitive"}},"k":2,"max_levels":{"d":0}}`, false},
		{"a negative level", `{"columns":{"age":{"role":"quasi"}},"k":2,"max_levels":{"age":-1}}`, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParsePolicy("p.json", strings.NewReader(c.json))
			if (err == nil) != c.ok {
				t.Fatalf("err = %v, want ok=%v", err, c.ok)
			}
		})
	}
}
