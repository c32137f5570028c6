package anonymizer

import (
	"testing"
)

func BenchmarkGeneralizeFromBottom(b *testing.B) {
	tb, hs := MustAdult(b)
	cfg := Config{QuasiIdentifiers: adultQIs, Hierarchies: hs, Models: Models{K: 5, Suppression: 0.05}}
	if err := cfg.validate(tb); err != nil {
		b.Fatal(err)
	}
	dims, sens, stride, _ := prepare(tb, cfg)
	lt := newLattice(dims)
	e := buildBottom(tb, lt, sens, stride)
	var h hashTable
	lv := []int{0, 3, 0, 0, 1, 1, 1, 2}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		e.generalize(e.bottom, lv, &h, nil)
	}
}
