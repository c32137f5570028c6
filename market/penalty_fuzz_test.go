package market

import (
	"testing"
)

// FuzzComputePenalty_Decisions: whatever the case file, parsing and computing
// never panic; a case that computes has, for each violation, decision
// options ending with not_established, never a negative fine, and a fine
// of zero whenever its decision imposes no penalty (Administrative
// Penalty Law Art. 33, 36, 40).
func FuzzComputePenalty_Decisions(f *testing.F) {
	for _, seed := range []string{
		`{"party":{"id":"P","kind":"organization"},"violations":[{"article":"shaanxi-36","product":"L","trades":[{"id":"t1","amount":"6000"}]},{"article":"shaanxi-36","product":"L","trades":[{"id":"t2","amount":"7000"}]}]}`,
		`{"party":{"id":"P","kind":"individual"},"discovered_on":"2026-09-01","violations":[{"article":"shaanxi-37","corrected":false,"ended_on":"2024-01-01","trades":[{"id":"t","amount":"900","overcharge":"100"}]}]}`,
		`{"party":{"id":"P","kind":"organization"},"violations":[{"article":"shaanxi-36","factors":["coerced"],"decision":{"kind":"reduced","fine":"1000","reason":"r"},"trades":[{"id":"t","amount":"20000"}]}]}`,
		`{"party":{"id":"P","kind":"organization"},"violations":[{"article":"shaanxi-36","corrected":true,"harm":"none","no_fault_evidence":true,"trades":[{"id":"t","amount":"1"}]}]}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParsePenaltyCase(data)
		if err != nil {
			return
		}
		r, err := ComputePenalty(c)
		if err != nil {
			return
		}
		if r.TotalFine.IsNegative() || r.TotalConfiscation.IsNegative() {
			t.Fatalf("negative totals: %s, %s", r.TotalFine, r.TotalConfiscation)
		}
		for i, v := range r.Violations {
			if n := len(v.DecisionOptions); n == 0 || v.DecisionOptions[n-1].Kind != DecisionNotEstablished {
				t.Fatalf("violation %d: options %v do not end with not_established", i, v.DecisionOptions)
			}
			if !v.Decision.Penalizes() && (!v.Fine.IsZero() || !v.Confiscation.IsZero()) {
				t.Fatalf("violation %d: %s with fine %s and confiscation %s", i, v.Decision, v.Fine, v.Confiscation)
			}
			if v.Fine.IsNegative() {
				t.Fatalf("violation %d: negative fine %s", i, v.Fine)
			}
		}
	})
}
