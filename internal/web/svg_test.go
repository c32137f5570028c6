package web

import (
	"encoding/xml"
	"strings"
	"testing"

	"github.com/shujiao/shujiao/market"
)

func TestCiteIn_ChineseCitations(t *testing.T) {
	for _, c := range []struct{ lang, in, want string }{
		{"zh", "Shaanxi Art. 37", "《陕西省大数据条例》第三十七条"},
		{"zh", "Shaanxi Art. 36(1)", "《陕西省大数据条例》第三十六条第（一）项"},
		{"zh", "Tianjin Art. 29", "《天津市促进大数据发展应用条例》第二十九条"},
		{"zh", "Shaanxi Art. 102", "《陕西省大数据条例》第一百零二条"},
		{"zh", "Shaanxi Art. 110", "《陕西省大数据条例》第一百一十条"},
		{"zh", "Shaanxi Art. 10", "《陕西省大数据条例》第十条"},
		{"zh", "GB/T 42460-2023 Annex D", "GB/T 42460-2023 Annex D"},
		{"en", "Shaanxi Art. 36(1)", "Shaanxi Art. 36(1)"},
	} {
		if got := citeIn(c.lang, c.in); got != c.want {
			t.Errorf("citeIn(%s, %q) = %q, want %q", c.lang, c.in, got, c.want)
		}
	}
}

func TestChart_AccessibleAndEscaped(t *testing.T) {
	c := chart{Title: "Prices <b>", YLabel: "CNY", HasRef: true, RefValue: 800, RefLabel: "reference 800.00",
		Bars: []bar{{Label: "<script>alert(1)</script>", Value: 1040, Text: "1040.00", Hot: true}, {Label: "t2", Value: 800, Text: "800.00"}}}
	out := string(c.render("reference 800.00; t1 1040.00"))
	if strings.Contains(out, "<script>") || !strings.Contains(out, "&lt;script&gt;") {
		t.Fatalf("a label is not escaped:\n%s", out)
	}
	if err := xml.Unmarshal([]byte(out), new(struct{})); err != nil {
		t.Fatalf("the chart is not well-formed SVG: %v", err)
	}
	for _, want := range []string{`role="img"`, "<title id=", "<desc id=", "t1 1040.00", `fill="#b42318"`, `stroke-dasharray`} {
		if !strings.Contains(out, want) {
			t.Errorf("the chart lacks %q", want)
		}
	}
}

func TestNiceCeil(t *testing.T) {
	for in, want := range map[float64]float64{1144: 2000, 800: 1000, 0.8: 1, 45: 50, 10: 10} {
		if got := niceCeil(in); got != want {
			t.Errorf("niceCeil(%v) = %v, want %v", in, got, want)
		}
	}
}

func TestClassChart_BinsAndMarksClassesBelowK(t *testing.T) {
	rc := &reqCtx{lang: "en"}
	out := string(classChart(rc, map[string]int{"a": 25, "b": 30, "c": 3}, 20))
	for _, want := range []string{"2–3: 1", "16–31: 2", "4–7: 0"} {
		if !strings.Contains(out, want) {
			t.Errorf("the class chart's description lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, `fill="#b42318"`); n != 4 { // bins 1, 2–3, 4–7, 8–15 lie below k = 20
		t.Errorf("%d bins marked below k, want 4", n)
	}
}

func TestPriceChart_ShowsTheFlaggedTradeAgainstTheReference(t *testing.T) {
	pf := market.PriceFlag{ReferencePrice: market.MustMoney("800.00"), ReferenceSource: "lowest_in_group",
		Overcharges:        []market.Overcharge{{TradeID: "t4", UnitPrice: market.MustMoney("1040.00")}},
		ExceptionsRejected: []market.RejectedException{{TradeID: "t4", Exception: market.ExceptionTier}}}
	out := string(priceChart(&reqCtx{lang: "zh"}, pf))
	for _, want := range []string{"1040.00", "参考价 800.00（同组最低价）", "例外不成立", "同组其他交易"} {
		if !strings.Contains(out, want) {
			t.Errorf("the Art. 37 chart lacks %q", want)
		}
	}
}
