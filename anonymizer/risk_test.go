package anonymizer

import (
	"math"
	"testing"
)

func TestMeasureRisk(t *testing.T) {
	// classes of 1, 4 and 20 records, and 5 suppressed records (one class of *)
	r := measureRisk([]int64{1, 4, 20}, 5, 7)
	n := 30.0
	checks := []struct {
		name      string
		got, want float64
	}{
		{"the highest risk is one over the smallest class", r.ProsecutorMax, 1},
		{"the mean risk is classes over records", r.ProsecutorAvg, 4 / n},
		{"records above 1/20 are those in classes under 20 (1+4+5)", r.RecordsAbove["0.05"], 10 / n},
		{"records above 1/5 are those in classes under 5 (1+4)", r.RecordsAbove["0.2"], 5 / n},
		{"records above 1/3 are those in classes under 3", r.RecordsAbove["0.333"], 1 / n},
		{"sample uniques after count the singleton class", r.SampleUniquesAfter, 1 / n},
		{"sample uniques before are passed in", r.SampleUniquesBefore, 7 / n},
	}
	for _, c := range checks {
		if math.Abs(c.got-c.want) > 1e-12 {
			t.Errorf("%s: %v, want %v", c.name, c.got, c.want)
		}
	}
}
