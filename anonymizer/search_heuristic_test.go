package anonymizer

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
)

func TestSearch_HeuristicBeyondAMillionNodesSaysNotOptimal(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	header := []string{"q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8"}
	tab := MustTable(header)
	for i := 0; i < 400; i++ {
		row := make([]string, len(header))
		for j := range row {
			row[j] = fmt.Sprintf("%06d", r.IntN(50)*1000+r.IntN(3))
		}
		tab.AppendRow(row, i+2)
	}
	hs := map[string]*Hierarchy{}
	for _, c := range header {
		h, err := GenerateHierarchy("mask", tab.Column(c).Dict)
		if err != nil {
			t.Fatal(err)
		}
		hs[c] = h
	}
	res, err := Anonymize(context.Background(), tab, Config{QuasiIdentifiers: header, Hierarchies: hs, Models: Models{K: 3, Suppression: 0.02}})
	if err != nil {
		t.Fatal(err)
	}
	if res.LatticeSize <= exactLimit {
		t.Fatalf("lattice of %v nodes, the test needs more than %v", res.LatticeSize, exactLimit)
	}
	if res.Optimal {
		t.Error("optimal = true from the heuristic search")
	}
	if res.MinClassSize < 3 || float64(res.Suppressed) > 0.02*400 {
		t.Errorf("min class %d, suppressed %d: the heuristic result violates the models", res.MinClassSize, res.Suppressed)
	}
	// the local search never ends worse than the greedy node it starts from
	cfg := Config{QuasiIdentifiers: header, Hierarchies: hs, Models: Models{K: 3, Suppression: 0.02}}
	cfg.validate(tab)
	dims, sens, stride, _ := prepare(tab, cfg)
	e := buildBottom(tab, newLattice(dims), sens, stride)
	g, _ := newSearcher(e, cfg.Models, MetricLoss, nil).greedy(context.Background())
	if res.Metrics.Loss > g.score+1e-12 {
		t.Errorf("heuristic loss %v worse than its greedy start %v", res.Metrics.Loss, g.score)
	}
}
