package anonymizer

import (
	"math/rand/v2"
	"reflect"
	"testing"
)

// The histograms built in parts on several cores are the ones built on
// one, value for value and class for class: the release depends on them.
func TestSparseHist_BuiltInPartsEqualsBuiltOnOneCore(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 19))
	const rows = 3 * histPartMin // parts of 2 and 3 on several workers
	tab := &Table{Columns: []*Column{{Name: "收入", Codes: make([]int32, rows)}, {Name: "诊断", Codes: make([]int32, rows)}}, rows: rows}
	for r := range rows {
		tab.Columns[0].Codes[r] = int32(rng.IntN(500))
		tab.Columns[1].Codes[r] = int32(rng.IntN(40))
	}
	sens := []*sensAttr{{col: 0, off: 0}, {col: 1, off: 500}}
	for _, classes := range []int{1, 3000, rows} {
		rowClass := make([]int32, rows)
		for r := range rowClass {
			// skewed: a few classes hold most rows, as generalized data does
			rowClass[r] = int32(min(classes-1, int(float64(classes)*rng.Float64()*rng.Float64())))
		}
		one := bottomHist(tab, sens, rowClass, classes, 1)
		for _, w := range []int{2, 8} {
			if got := bottomHist(tab, sens, rowClass, classes, w); !reflect.DeepEqual(got, one) {
				t.Fatalf("%d classes: bottomHist on %d workers differs from one", classes, w)
			}
		}
		for _, outClasses := range []int{1, max(1, classes/3)} {
			remap := make([]int32, classes)
			for c := range remap {
				remap[c] = int32(rng.IntN(outClasses))
			}
			want := one.rollUp(remap, outClasses, 540, 1)
			for _, w := range []int{3} {
				if got := one.rollUp(remap, outClasses, 540, w); !reflect.DeepEqual(got, want) {
					t.Fatalf("%d → %d classes: rollUp on %d workers differs from one", classes, outClasses, w)
				}
			}
			// the roll-up is the sum of the rows' values: check one class
			o := rng.IntN(outClasses)
			sum := map[int32]int32{}
			for r, c := range rowClass {
				if remap[c] == int32(o) {
					sum[tab.Columns[0].Codes[r]]++
					sum[500+tab.Columns[1].Codes[r]]++
				}
			}
			k, v := want.class(o)
			if len(k) != len(sum) {
				t.Fatalf("class %d: %d values, want %d", o, len(k), len(sum))
			}
			for i := range k {
				if sum[k[i]] != v[i] || (i > 0 && k[i] <= k[i-1]) {
					t.Fatalf("class %d: value %d count %d, want %d (ascending keys)", o, k[i], v[i], sum[k[i]])
				}
			}
		}
	}
}
