package anonymizer

import (
	"context"
	"testing"
)

// BenchmarkAlternatives_Adult measures what the alternatives add to a
// de-identification job on the Adult table (k = 5, 5 % suppression):
// one Anonymize per column level below the optimum's, each a whole search
// and release.
func BenchmarkAlternatives_Adult(b *testing.B) {
	tab, hs := MustAdult(b)
	ctx := context.Background()
	cfg := Config{QuasiIdentifiers: adultQIs, Hierarchies: hs, Models: Models{K: 5, Suppression: 0.05}}
	best, err := Anonymize(ctx, tab, cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("anonymize", func(b *testing.B) {
		for b.Loop() {
			if _, err := Anonymize(ctx, tab, cfg); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("alternatives", func(b *testing.B) {
		for b.Loop() {
			alts, err := Alternatives(ctx, tab, cfg, best, 5)
			if err != nil || len(alts) == 0 {
				b.Fatal(err, len(alts))
			}
		}
	})
}
