package market

import (
	"fmt"
	"testing"
)

// BenchmarkGate_ContentSignatures: the Art. 36 gate on a listing whose
// dataset has 40 columns of 200 sample values each, under the default
// rule set's content signatures (Shaanxi Art. 36(3), Art. 65).
func BenchmarkGate_ContentSignatures(b *testing.B) {
	l := mustListableListing(b)
	p := &ContentProfile{}
	for c := range 40 {
		col := ContentColumn{Name: fmt.Sprintf("measure_%02d", c)}
		for v := range 200 {
			col.Samples = append(col.Samples, fmt.Sprintf("%d.%04d", v, c))
		}
		p.Columns = append(p.Columns, col)
	}
	l.Content = p
	rs := DefaultRuleSet()
	b.ReportAllocs()
	for b.Loop() {
		if res := Gate(&l, nil, rs, gateAt); res.Decision != DecisionListable {
			b.Fatal(res.Decision)
		}
	}
}
