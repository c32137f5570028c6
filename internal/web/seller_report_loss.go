package web

import (
	"fmt"

	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/internal/jobs"
)

// lossChart draws the information loss of each quasi-identifier, in per
// cent, as the anonymizer reported it (report column_loss: ARX's Loss of
// the column alone, suppressed records counting whole). Its description
// lists every figure. Empty when the report has none (Mondrian).
func lossChart(rc *reqCtx, rep *anonymizer.Report) svgMarkup {
	if rep == nil || len(rep.ColumnLoss) == 0 {
		return ""
	}
	c := chart{Title: rc.t("report.loss_chart"), YLabel: rc.t("report.loss_axis")}
	desc := ""
	for _, q := range rep.QuasiIdentifiers {
		l, ok := rep.ColumnLoss[q]
		if !ok {
			continue
		}
		c.Bars = append(c.Bars, bar{Label: q, Value: 100 * l, Text: lossText(l)})
		desc += fmt.Sprintf("%s: %s; ", q, lossText(l))
	}
	return c.render(desc)
}

// lossText writes a loss (0..1) as a percentage with one decimal.
func lossText(l float64) string { return fmt.Sprintf("%.1f%%", 100*l) }

// alternativesView is the table of the alternative transformations a
// job (or a sample run) found: one column per quasi-identifier.
type alternativesView struct {
	QIs []string
	// Current is the released transformation, for comparison.
	Current altRow
	Rows    []altRow
}

// altRow is one transformation: its levels (in QIs order), what it costs
// and how risky it is; N numbers it from 1 (the choice's address).
type altRow struct {
	N          int
	Levels     []altLevel
	Loss       float64
	LossDelta  float64
	Risk       float64
	Classes    int
	Suppressed int
}

// altLevel is a quasi-identifier's level; Lower marks one below the
// released transformation's.
type altLevel struct {
	Level int
	Lower bool
}

// newAlternativesView lays out rep's alternatives beside the released
// transformation; nil when there are none.
func newAlternativesView(rep *jobs.Report) *alternativesView {
	if rep == nil || rep.Anonymizer == nil || len(rep.Alternatives) == 0 {
		return nil
	}
	a := rep.Anonymizer
	v := &alternativesView{QIs: a.QuasiIdentifiers}
	levels := func(t map[string]int) []altLevel {
		out := make([]altLevel, len(a.QuasiIdentifiers))
		for i, q := range a.QuasiIdentifiers {
			out[i] = altLevel{Level: t[q], Lower: t[q] < a.Transformation[q]}
		}
		return out
	}
	v.Current = altRow{Levels: levels(a.Transformation), Loss: a.Metrics.Loss, Risk: a.Risk.ProsecutorMax,
		Classes: a.Classes, Suppressed: a.Suppressed}
	for i, alt := range rep.Alternatives {
		v.Rows = append(v.Rows, altRow{N: i + 1, Levels: levels(alt.Transformation), Loss: alt.Loss,
			LossDelta: alt.Loss - a.Metrics.Loss, Risk: alt.ProsecutorMax, Classes: alt.Classes, Suppressed: alt.Suppressed})
	}
	return v
}
