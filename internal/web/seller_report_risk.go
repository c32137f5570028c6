package web

import (
	"fmt"
	"math"

	"github.com/shujiao/shujiao/anonymizer"
)

// releaseClasses counts the records of each equivalence class of a
// released table over its quasi-identifiers, and the suppressed records
// ("*" in every quasi-identifier), which the anonymizer's risk treats as
// one class of their own (anonymizer.Risk).
func releaseClasses(t *anonymizer.Table, qis []string) (sizes map[string]int, suppressed int) {
	var cols []*anonymizer.Column
	for _, q := range qis {
		if c := t.Column(q); c != nil {
			cols = append(cols, c)
		}
	}
	sizes = map[string]int{}
	key := make([]byte, 0, 64)
	for r := range t.Rows() {
		key = key[:0]
		sup := len(cols) > 0
		for _, c := range cols {
			v := c.Value(r)
			sup = sup && v == anonymizer.Suppressed
			key = append(append(key, v...), 0)
		}
		if sup {
			suppressed++
		} else {
			sizes[string(key)]++
		}
	}
	return sizes, suppressed
}

// riskBin is one range of record risk (lo, hi] of the risk chart.
type riskBin struct {
	Lo, Hi  float64
	Records int
}

// riskEdges are the bin edges of the risk chart: the three thresholds of
// GB/T 42460-2023 (1/20, 1/5, 1/3; anonymizer.RiskThresholds) are edges,
// so every bar lies wholly under or over a mode's threshold.
var riskEdges = []float64{0, 0.02, 1.0 / 20, 0.1, 1.0 / 5, 1.0 / 3, 0.5, 1}

// riskProfile is the prosecutor risk of a release computed from its
// classes the way the anonymizer reports it: a record's risk is
// 1/|class|, suppressed records one class.
type riskProfile struct {
	Bins    []riskBin
	Records int
	Max     float64
	Avg     float64
	// Above maps the keys of anonymizer.RiskThresholds to the share of
	// records whose risk exceeds the threshold.
	Above map[string]float64
}

func profileRisk(sizes map[string]int, suppressed int) riskProfile {
	all := make([]int, 0, len(sizes)+1)
	for _, n := range sizes {
		all = append(all, n)
	}
	if suppressed > 0 {
		all = append(all, suppressed)
	}
	p := riskProfile{Above: map[string]float64{}}
	for i := 1; i < len(riskEdges); i++ {
		p.Bins = append(p.Bins, riskBin{Lo: riskEdges[i-1], Hi: riskEdges[i]})
	}
	above := make([]int, len(anonymizer.RiskThresholds))
	for _, n := range all {
		risk := 1 / float64(n)
		p.Records += n
		p.Max = math.Max(p.Max, risk)
		for i := range p.Bins {
			if risk > p.Bins[i].Lo && risk <= p.Bins[i].Hi {
				p.Bins[i].Records += n
			}
		}
		for i, th := range anonymizer.RiskThresholds {
			if risk > th.Value {
				above[i] += n
			}
		}
	}
	for i, th := range anonymizer.RiskThresholds {
		p.Above[th.Key] = 0
		if p.Records > 0 {
			p.Above[th.Key] = float64(above[i]) / float64(p.Records)
		}
	}
	if p.Records > 0 {
		p.Avg = float64(len(all)) / float64(p.Records)
	}
	return p
}

// riskChart draws the share of records in each risk range, the ranges
// over the mode's threshold θ in red.
func riskChart(rc *reqCtx, p riskProfile, threshold float64) svgMarkup {
	c := chart{Title: rc.tf("report.risk_chart", pctText(threshold)), YLabel: rc.t("report.risk_records")}
	desc := ""
	for _, b := range p.Bins {
		share := 0.0
		if p.Records > 0 {
			share = 100 * float64(b.Records) / float64(p.Records)
		}
		label := pctText(b.Lo) + "–" + pctText(b.Hi)
		text := fmt.Sprintf("%.1f%%", share)
		c.Bars = append(c.Bars, bar{Label: label, Value: share, Text: text, Hot: threshold > 0 && b.Lo >= threshold-1e-12})
		desc += fmt.Sprintf("%s: %d (%s); ", label, b.Records, text)
	}
	return c.render(desc)
}

// pctText writes a share as a percentage with at most one decimal.
func pctText(v float64) string { return shortNum(math.Round(v*1000)/10) + "%" }
