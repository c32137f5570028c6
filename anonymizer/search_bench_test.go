package anonymizer

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkAdultSearch times the search on Adult (8 quasi-identifiers, ARX's
// hierarchies, loss) for the settings ARX 3.9.2 was timed on; the table is
// encoded once, outside the timer, as ARX's figures exclude loading.
func BenchmarkAdultSearch(b *testing.B) {
	tab, hs := MustAdult(b)
	for _, k := range []int{2, 5, 10, 50} {
		for _, supp := range []float64{0, 0.05} {
			b.Run(fmt.Sprintf("k=%d/suppression=%g", k, supp), func(b *testing.B) {
				cfg := Config{QuasiIdentifiers: adultQIs, Hierarchies: hs, Models: Models{K: k, Suppression: supp}}
				if err := cfg.validate(tab); err != nil {
					b.Fatal(err)
				}
				dims, sens, stride, err := prepare(tab, cfg)
				if err != nil {
					b.Fatal(err)
				}
				e := buildBottom(tab, newLattice(dims), sens, stride)
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					s := newSearcher(e, cfg.Models, MetricLoss, nil)
					g, err := s.greedy(context.Background())
					if err != nil {
						b.Fatal(err)
					}
					if _, err := s.topDown(context.Background(), g); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkAdultAnonymize times the whole library call on Adult, k=5, 5%:
// encoding, search, release table and measures.
func BenchmarkAdultAnonymize(b *testing.B) {
	tab, hs := MustAdult(b)
	cfg := Config{QuasiIdentifiers: adultQIs, Hierarchies: hs, Models: Models{K: 5, Suppression: 0.05}}
	for i := 0; i < b.N; i++ {
		if _, err := Anonymize(context.Background(), tab, cfg); err != nil {
			b.Fatal(err)
		}
	}
}
