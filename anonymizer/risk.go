package anonymizer

// RiskThresholds are the re-identification risk thresholds of GB/T
// 42460-2023 for public release (1/20), release under a data-use agreement
// (1/5) and release into an enclave (1/3).
var RiskThresholds = []struct {
	Key   string
	Value float64
}{{"0.05", 1.0 / 20}, {"0.2", 1.0 / 5}, {"0.333", 1.0 / 3}}

// Risk is the prosecutor re-identification risk of a release: an attacker
// who knows a person is in the data and knows their quasi-identifiers picks
// one record of the matching class, so a record's risk is 1/|class|.
// Suppressed records form one class (all "*").
type Risk struct {
	// ProsecutorMax is the highest record risk.
	ProsecutorMax float64 `json:"prosecutor_max"`
	// ProsecutorAvg is the mean record risk (classes / records).
	ProsecutorAvg float64 `json:"prosecutor_avg"`
	// RecordsAbove maps each threshold ("0.05", "0.2", "0.333") to the share
	// of records whose risk exceeds it.
	RecordsAbove map[string]float64 `json:"records_above"`
	// SampleUniquesBefore is the share of input records unique on their
	// quasi-identifiers.
	SampleUniquesBefore float64 `json:"sample_uniques_before"`
	// SampleUniquesAfter is the share of released records unique on their
	// generalized quasi-identifiers.
	SampleUniquesAfter float64 `json:"sample_uniques_after"`
}

// measureRisk computes the risk of a release with the given released class
// sizes and suppressed records; uniquesBefore is the number of input records
// unique on their quasi-identifiers.
func measureRisk(sizes []int64, suppressed int64, uniquesBefore int64) Risk {
	r := Risk{RecordsAbove: map[string]float64{}}
	all := sizes
	if suppressed > 0 {
		all = append(append([]int64(nil), sizes...), suppressed)
	}
	var n, uniques int64
	above := make([]int64, len(RiskThresholds))
	for _, s := range all {
		n += s
		risk := 1 / float64(s)
		r.ProsecutorMax = max(r.ProsecutorMax, risk)
		if s == 1 {
			uniques++
		}
		for i, th := range RiskThresholds {
			if risk > th.Value {
				above[i] += s
			}
		}
	}
	for i, th := range RiskThresholds {
		r.RecordsAbove[th.Key] = 0
		if n > 0 {
			r.RecordsAbove[th.Key] = float64(above[i]) / float64(n)
		}
	}
	if n > 0 {
		r.ProsecutorAvg = float64(len(all)) / float64(n)
		r.SampleUniquesBefore = float64(uniquesBefore) / float64(n)
		r.SampleUniquesAfter = float64(uniques) / float64(n)
	}
	return r
}

// uniques counts the records in classes of size one.
func uniques(counts []int32) int64 {
	var u int64
	for _, c := range counts {
		if c == 1 {
			u++
		}
	}
	return u
}
