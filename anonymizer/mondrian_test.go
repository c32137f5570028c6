package anonymizer

import (
	"context"
	"math/rand/v2"
	"testing"
)

func TestMondrian_EveryClassSatisfiesTheModels(t *testing.T) {
	distinct2, _ := ParseLDiversity("distinct:2")
	for _, m := range []Models{{K: 2}, {K: 5}, {K: 3, L: &distinct2}} {
		for seed := uint64(1); seed <= 4; seed++ {
			tab, hs := randomTable(rand.New(rand.NewPCG(seed, 3)), 150)
			cfg := Config{QuasiIdentifiers: []string{"age", "zip", "sex"}, Sensitive: []string{"disease"}, Hierarchies: hs, Models: m, Algorithm: AlgorithmMondrian}
			res, err := Anonymize(context.Background(), tab, cfg)
			if err != nil {
				t.Fatal(err)
			}
			groups := map[string]map[string]bool{}
			sizes := map[string]int{}
			for r := 0; r < res.Table.Rows(); r++ {
				key := res.Table.Value(r, 0) + "|" + res.Table.Value(r, 1) + "|" + res.Table.Value(r, 2)
				sizes[key]++
				if groups[key] == nil {
					groups[key] = map[string]bool{}
				}
				groups[key][res.Table.Value(r, 3)] = true
			}
			if len(sizes) != res.Classes {
				t.Errorf("%v seed %d: %d distinct released combinations, report says %d classes", m.Strings(), seed, len(sizes), res.Classes)
			}
			for key, n := range sizes {
				if n < max(m.K, 1) {
					t.Errorf("%v seed %d: class %q has %d records, want at least k=%d", m.Strings(), seed, key, n, m.K)
				}
				if m.L != nil && len(groups[key]) < 2 {
					t.Errorf("%v seed %d: class %q has one disease, want 2 distinct", m.Strings(), seed, key)
				}
			}
			if res.Optimal {
				t.Error("Mondrian reports optimal = true")
			}
		}
	}
}

func TestMondrian_LosesNoMoreThanFullDomainOnAdult(t *testing.T) {
	tab, hs := MustAdult(t)
	cfg := Config{QuasiIdentifiers: adultQIs, Hierarchies: hs, Models: Models{K: 5}}
	full, err := Anonymize(context.Background(), tab, cfg)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Algorithm = AlgorithmMondrian
	mon, err := Anonymize(context.Background(), tab, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if mon.MinClassSize < 5 {
		t.Errorf("Mondrian min class size %d, want ≥ 5", mon.MinClassSize)
	}
	if mon.Metrics.Loss > full.Metrics.Loss {
		t.Errorf("Mondrian loss %.4f > full-domain optimum without suppression %.4f", mon.Metrics.Loss, full.Metrics.Loss)
	}
	t.Logf("k=5, no suppression: full-domain loss %.4f, Mondrian loss %.4f (%d classes)", full.Metrics.Loss, mon.Metrics.Loss, mon.Classes)
}
