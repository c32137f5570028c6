package web

import (
	"fmt"
	"hash/fnv"
	"html"
	"math"
	"strings"
)

// svgMarkup is an SVG document built on the server by this file, with
// every text escaped; templates insert it with the svg function.
type svgMarkup string

// bar is one bar of a chart: a label under it, its value, and whether it
// is highlighted (a trade at fault).
type bar struct {
	Label string
	Value float64
	// Text is written above the bar (the value as the reader should see it).
	Text string
	Hot  bool
	// Mark is a short note drawn above the value (an exception considered).
	Mark string
}

// chart is a vertical bar chart with an optional reference line.
type chart struct {
	Title string
	// YLabel names the values.
	YLabel string
	Bars   []bar
	// RefValue and RefLabel draw a horizontal line (the reference price).
	RefValue float64
	RefLabel string
	HasRef   bool
}

// Layout of the charts, in SVG user units.
const (
	chartW     = 640.0
	chartH     = 320.0
	padLeft    = 70.0
	padRight   = 20.0
	padTop     = 50.0
	padBottom  = 60.0
	maxBarW    = 80.0
	axisColour = "#57606a"
)

// render draws the chart as an accessible SVG (role img, a title and a
// description listing every value, so a screen reader gets the figures).
func (c chart) render(desc string) svgMarkup {
	var b strings.Builder
	top := 0.0
	for _, x := range c.Bars {
		top = math.Max(top, x.Value)
	}
	if c.HasRef {
		top = math.Max(top, c.RefValue)
	}
	if top <= 0 {
		top = 1
	}
	top = niceCeil(top * 1.1)
	plotW, plotH := chartW-padLeft-padRight, chartH-padTop-padBottom
	y := func(v float64) float64 { return padTop + plotH - v/top*plotH }
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 %.0f %.0f" width="%.0f" height="%.0f" role="img" aria-labelledby="%s-t %s-d">`,
		chartW, chartH, chartW, chartH, svgID(c.Title), svgID(c.Title))
	fmt.Fprintf(&b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, svgID(c.Title), esc(c.Title), svgID(c.Title), esc(desc))
	fmt.Fprintf(&b, `<text x="%.0f" y="16" font-weight="bold">%s</text>`, padLeft, esc(c.Title))
	// axes and grid: five steps
	for i := 0; i <= 4; i++ {
		v := top * float64(i) / 4
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#eaeef2"/>`, padLeft, y(v), chartW-padRight, y(v))
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="end">%s</text>`, padLeft-6, y(v)+4, esc(shortNum(v)))
	}
	fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s"/>`, padLeft, padTop, padLeft, padTop+plotH, axisColour)
	fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s"/>`, padLeft, padTop+plotH, chartW-padRight, padTop+plotH, axisColour)
	fmt.Fprintf(&b, `<text x="14" y="%.1f" transform="rotate(-90 14 %.1f)" text-anchor="middle">%s</text>`, padTop+plotH/2, padTop+plotH/2, esc(c.YLabel))
	n := float64(max(len(c.Bars), 1))
	slot := plotW / n
	bw := math.Min(maxBarW, slot*0.6)
	for i, x := range c.Bars {
		cx := padLeft + slot*(float64(i)+0.5)
		fill := "#4f86c6"
		if x.Hot {
			fill = "#b42318"
		}
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s: %s</title></rect>`,
			cx-bw/2, y(x.Value), bw, padTop+plotH-y(x.Value), fill, esc(x.Label), esc(x.Text))
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle">%s</text>`, cx, y(x.Value)-6, esc(x.Text))
		if x.Mark != "" {
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle" fill="#9a6700">▲ %s</text>`, cx, y(x.Value)-22, esc(x.Mark))
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle">%s</text>`, cx, padTop+plotH+18, esc(clip(x.Label, 14)))
	}
	if c.HasRef {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#1a7f37" stroke-width="2" stroke-dasharray="6 4"/>`,
			padLeft, y(c.RefValue), chartW-padRight, y(c.RefValue))
		// the line's legend, in the header, clear of the bars
		fmt.Fprintf(&b, `<text x="%.1f" y="34" text-anchor="end" fill="#1a7f37">%s</text>`, chartW-padRight-40, esc(c.RefLabel))
		fmt.Fprintf(&b, `<line x1="%.1f" y1="30" x2="%.1f" y2="30" stroke="#1a7f37" stroke-width="2" stroke-dasharray="6 4"/>`, chartW-padRight-34, chartW-padRight)
	}
	b.WriteString(`</svg>`)
	return svgMarkup(b.String())
}

// niceCeil rounds v up to 1, 2 or 5 times a power of ten.
func niceCeil(v float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}

// shortNum writes an axis figure with at most two decimals and no
// trailing zeros (2.5, not 2.50).
func shortNum(v float64) string {
	s := fmt.Sprintf("%.2f", v)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

func esc(s string) string { return html.EscapeString(s) }

// svgID makes an element id from a title.
func svgID(s string) string {
	h := fnv.New32a()
	_, _ = h.Write([]byte(s))
	return fmt.Sprintf("c%08x", h.Sum32())
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
