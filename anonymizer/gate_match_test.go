package anonymizer

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestLink_AgreesWithBruteForce checks the prosecutor's linked-set sizes
// (GB/T 42460-2023 Annex D) against a brute-force count — every raw record
// against every release record, value by value with covers — on random
// tables whose generalizations overlap (intervals of several widths, masks,
// "*"), through both the direct enumeration and the posting lists.
func TestLink_AgreesWithBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for trial := range 20 {
		n := 60 + rng.IntN(60)
		var rawRows, relRows [][]string
		for range n {
			age := 18 + rng.IntN(50)
			zip := fmt.Sprintf("1000%02d", rng.IntN(30))
			sex := []string{"男", "女"}[rng.IntN(2)]
			rawRows = append(rawRows, []string{fmt.Sprint(age), zip, sex})
			w := []int{1, 5, 10, 20}[rng.IntN(4)]
			lo := age / w * w
			ageG := fmt.Sprintf("[%d, %d[", lo, lo+w)
			if rng.IntN(8) == 0 {
				ageG = "*"
			}
			zipG := zip[:4+rng.IntN(3)]
			zipG += "******"[:6-len(zipG)]
			sexG := sex
			if rng.IntN(4) == 0 {
				sexG = "*"
			}
			relRows = append(relRows, []string{ageG, zipG, sexG})
		}
		raw := MustTable([]string{"age", "zip", "sex"}, rawRows...)
		rel := MustTable([]string{"age", "zip", "sex"}, relRows...)
		links := make([]*qiLink, 3)
		for d := range links {
			links[d] = newQILink(raw.Columns[d], rel.Columns[d], nil, false)
		}
		rc, _ := newReleaseClasses(rel, links)
		m := newMatcher(links, rc)
		for r := range raw.Rows() {
			want := 0
			for s := range rel.Rows() {
				if rc.row[s] < 0 {
					continue
				}
				all := true
				for d, l := range links {
					if !l.gen[rel.Columns[d].Codes[s]].covers(raw.Value(r, d)) {
						all = false
						break
					}
				}
				if all {
					want++
				}
			}
			tuple := []int32{raw.Columns[0].Codes[r], raw.Columns[1].Codes[r], raw.Columns[2].Codes[r]}
			if got := m.count(tuple); got != want {
				t.Fatalf("trial %d, raw row %d %v: count %d, brute force %d", trial, r, raw.Row(r), got, want)
			}
			if got := m.countByPostings(tuple); got != want {
				t.Fatalf("trial %d, raw row %d %v: posting lists %d, brute force %d", trial, r, raw.Row(r), got, want)
			}
		}
	}
}
