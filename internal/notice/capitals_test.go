package notice

import (
	"testing"

	"github.com/shujiao/shujiao/market"
)

func TestCapitals_WritesAmountsInChineseCapitals(t *testing.T) {
	for in, want := range map[string]string{
		"0":          "人民币零元整",
		"0.05":       "人民币伍分",
		"0.50":       "人民币伍角",
		"10":         "人民币壹拾元整",
		"1050.05":    "人民币壹仟零伍拾元零伍分",
		"10001":      "人民币壹万零壹元整",
		"13000":      "人民币壹万叁仟元整",
		"200000":     "人民币贰拾万元整",
		"320000.00":  "人民币叁拾贰万元整",
		"1000000":    "人民币壹佰万元整",
		"100010000":  "人民币壹亿零壹万元整",
		"11500.60":   "人民币壹万壹仟伍佰元陆角",
		"199999.99":  "人民币壹拾玖万玖仟玖佰玖拾玖元玖角玖分",
		"1000001.00": "人民币壹佰万零壹元整",
	} {
		if got := capitals(market.MustMoney(in)); got != want {
			t.Errorf("capitals(%s) = %s, want %s", in, got, want)
		}
	}
}
