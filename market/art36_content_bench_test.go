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

// BenchmarkScanContent: what an upload's content scan costs now that it
// matches every distinct value of the 10,000-row sample (it matched the
// first 200 of each column): 12 columns of 10,000 distinct values —
// numbers, decimals, codes, names, dates and coordinate-like pairs, the
// shapes a pattern must reject — under the default rule set.
func BenchmarkScanContent(b *testing.B) {
	p := &ContentProfile{}
	shapes := []func(i int) string{
		func(i int) string { return fmt.Sprint(i) },
		func(i int) string { return fmt.Sprintf("%d.%05d", i%180, i) },
		func(i int) string { return fmt.Sprintf("34.%06d,108.%06d", i, i*7) },
		func(i int) string { return fmt.Sprintf("rs%d", i) },
		func(i int) string { return fmt.Sprintf("ACGTACGT%06d", i) },
		func(i int) string { return fmt.Sprintf("患者%d", i) },
		func(i int) string { return fmt.Sprintf("2026-%02d-%02d %d", i%12+1, i%28+1, i) },
		func(i int) string { return fmt.Sprintf("6101%08d", i) },
		func(i int) string { return fmt.Sprintf("user_%x", i*2654435761) },
		func(i int) string { return fmt.Sprintf("%d,%d", i, i+1) },
		func(i int) string { return fmt.Sprintf("-%d.%d", i, i) },
		func(i int) string { return fmt.Sprintf("陕西省西安市雁塔区%d号", i) },
	}
	for c, shape := range shapes {
		col := ContentColumn{Name: fmt.Sprintf("c%02d", c)}
		for v := range ContentSampleValues {
			col.Samples = append(col.Samples, shape(v))
		}
		p.Columns = append(p.Columns, col)
	}
	rs := DefaultRuleSet()
	b.ReportAllocs()
	for b.Loop() {
		ScanContent(rs, p, ContentSampleValues)
	}
}
