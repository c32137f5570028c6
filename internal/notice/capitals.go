package notice

import (
	"strings"

	"github.com/shujiao/shujiao/market"
)

var capitalDigits = []string{"零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"}

// capitals writes m in Chinese capital numerals (大写) as financial
// documents do: 320000.00 → 人民币叁拾贰万元整, 1050.05 → 人民币壹仟零伍拾元零伍分.
// Negative amounts are written with 负.
func capitals(m market.Money) string {
	d := m.Round().Decimal()
	neg := d.IsNegative()
	d = d.Abs()
	n := d.IntPart()
	fen := d.Sub(d.Truncate(0)).Shift(2).IntPart()
	var b strings.Builder
	b.WriteString("人民币")
	if neg {
		b.WriteString("负")
	}
	if n == 0 && fen == 0 {
		b.WriteString("零元整")
		return b.String()
	}
	if n > 0 {
		b.WriteString(intCapitals(n))
		b.WriteString("元")
	}
	jiao, f := fen/10, fen%10
	switch {
	case fen == 0:
		b.WriteString("整")
		return b.String()
	case jiao > 0:
		b.WriteString(capitalDigits[jiao] + "角")
	case n > 0:
		b.WriteString("零")
	}
	if f > 0 {
		b.WriteString(capitalDigits[f] + "分")
	}
	return b.String()
}

// intCapitals writes n > 0 in capitals by sections of four digits (万, 亿),
// with one 零 for each run of zeros inside the number.
func intCapitals(n int64) string {
	units := []string{"仟", "佰", "拾", ""}
	bigs := []string{"", "万", "亿", "万亿"}
	var sections []int64
	for n > 0 {
		sections = append(sections, n%10000)
		n /= 10000
	}
	var b strings.Builder
	zero := false
	for i := len(sections) - 1; i >= 0; i-- {
		sec := sections[i]
		if sec == 0 {
			zero = b.Len() > 0
			continue
		}
		if b.Len() > 0 && sec < 1000 {
			zero = true
		}
		started := false
		for j, dj := range []int64{sec / 1000, sec / 100 % 10, sec / 10 % 10, sec % 10} {
			if dj == 0 {
				zero = zero || started
				continue
			}
			if zero {
				b.WriteString("零")
				zero = false
			}
			b.WriteString(capitalDigits[dj] + units[j])
			started = true
		}
		b.WriteString(bigs[i])
	}
	return b.String()
}
