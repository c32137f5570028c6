package anonymizer

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
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
			// the roll-up is the sum of the rows' values, class by class
			sums := make([]map[int32]int32, outClasses)
			for r, c := range rowClass {
				o := remap[c]
				if sums[o] == nil {
					sums[o] = map[int32]int32{}
				}
				sums[o][tab.Columns[0].Codes[r]]++
				sums[o][500+tab.Columns[1].Codes[r]]++
			}
			for o, sum := range sums {
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
}

// popHist is a histogram shaped like the population table's bottom under
// the README policy: classes of one to a few records, each with an income
// (4,500 values) and a diagnosis (24).
func popHist(rng *rand.Rand, classes int) *sparseHist {
	h := &sparseHist{off: make([]int32, classes+1)}
	for c := range classes {
		recs := 1 + rng.IntN(3)
		inc := map[int32]int32{}
		dia := map[int32]int32{}
		for range recs {
			inc[int32(rng.IntN(4500))]++
			dia[4500+int32(rng.IntN(24))]++
		}
		for _, m := range []map[int32]int32{inc, dia} {
			keys := slices.Sorted(maps.Keys(m))
			for _, k := range keys {
				h.key = append(h.key, k)
				h.cnt = append(h.cnt, m[k])
			}
		}
		h.off[c+1] = int32(len(h.key))
	}
	return h
}

func BenchmarkSparseHist_RollUp(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 5))
	const classes = 2_000_000
	h := popHist(rng, classes)
	for _, out := range []int{400_000, 20_000} {
		remap := make([]int32, classes)
		for c := range remap {
			remap[c] = int32(rng.IntN(out))
		}
		b.Run(fmt.Sprintf("classes=%d", out), func(b *testing.B) {
			for b.Loop() {
				h.rollUp(remap, out, 4524, 1)
			}
		})
	}
}
