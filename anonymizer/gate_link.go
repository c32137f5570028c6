package anonymizer

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// linkKind is what a generalized release value says about the raw value.
type linkKind uint8

const (
	linkExact    linkKind = iota // the raw value itself
	linkAny                      // "*": any value (suppressed or top level)
	linkMask                     // some characters masked: "1101**", "110101****"
	linkInterval                 // a numeric range: "20-29", "[20,30)", "[20, 30[", ">=80"
	linkDate                     // a period: "1990", "1990-03", "1990-Q1"
	linkSet                      // a set of values: "{a,b}", "a|b"
)

// generalized is one parsed release value of a quasi-identifier.
type generalized struct {
	kind       linkKind
	value      string
	runes      []rune // linkMask
	lo, hi     float64
	loIn, hiIn bool
	from, to   int // linkDate: yyyymmdd bounds, inclusive
	members    []string
}

// parseGeneralized reads a release value as the prosecutor does: equal, a
// "*", a mask, an interval, a period or a set. It never fails: what it does
// not recognize is taken as an exact value.
func parseGeneralized(v string) generalized {
	v = strings.TrimSpace(v)
	g := generalized{kind: linkExact, value: v}
	switch {
	case v == "*" || (v != "" && strings.Trim(v, maskRunes) == ""):
		g.kind = linkAny
	case hasMask(v):
		g.kind, g.runes = linkMask, []rune(v)
	case parsePeriod(v, &g):
		g.kind = linkDate
	case parseInterval(v, &g):
		g.kind = linkInterval
	case strings.HasPrefix(v, "{") && strings.HasSuffix(v, "}"):
		g.kind, g.members = linkSet, splitTrim(v[1:len(v)-1], ",")
	case strings.Contains(v, "|"):
		g.kind, g.members = linkSet, splitTrim(v, "|")
	}
	return g
}

func splitTrim(s, sep string) []string {
	parts := strings.Split(s, sep)
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

// covers reports whether raw value v is consistent with the generalized
// value (GB/T 2260 bands and hierarchies are linked by newQILink).
func (g *generalized) covers(v string) bool {
	v = strings.TrimSpace(v)
	if v == g.value {
		return true
	}
	switch g.kind {
	case linkAny:
		return true
	case linkMask:
		return maskCovers(g.runes, v)
	case linkInterval:
		x, ok := rawNumber(v)
		if !ok {
			if d, ok := parseDay(v); ok && g.lo >= 1000 {
				x = float64(d / 10000) // a date against a band of years
			} else {
				return false
			}
		}
		return (x > g.lo || g.loIn && x == g.lo) && (x < g.hi || g.hiIn && x == g.hi)
	case linkDate:
		d, ok := parseDay(v)
		return ok && d >= g.from && d <= g.to
	case linkSet:
		for _, m := range g.members {
			if m == v {
				return true
			}
		}
	}
	return false
}

// maskCovers matches positionally when lengths agree, else treats the one
// run of mask characters as "any characters".
func maskCovers(mask []rune, v string) bool {
	if utf8.RuneCountInString(v) == len(mask) {
		i := 0
		for _, r := range v {
			if !isMaskRune(mask[i]) && mask[i] != r {
				return false
			}
			i++
		}
		return true
	}
	first, last := -1, -1
	for i, r := range mask {
		if isMaskRune(r) {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 {
		return false // lengths differ and nothing is masked
	}
	prefix, suffix := string(mask[:first]), string(mask[last+1:])
	return len(v) >= len(prefix)+len(suffix) && strings.HasPrefix(v, prefix) && strings.HasSuffix(v, suffix)
}

// rawNumber parses a raw numeric value ("35", "35.5", "3,500", "35岁").
func rawNumber(v string) (float64, bool) {
	v = strings.TrimSuffix(strings.TrimSuffix(v, "岁"), "元")
	v = strings.ReplaceAll(v, ",", "")
	x, err := strconv.ParseFloat(v, 64)
	return x, err == nil && !math.IsNaN(x) && !math.IsInf(x, 0)
}

// parseInterval reads "20-29", "20~29", "20–29" (both ends included),
// "[20,30)", "(20,30]", "[20, 30[" (ARX), ">=80", ">80", "≥80", "<20", "≤20",
// "80+", "80以上", "20以下", with an optional "岁"/"元" unit.
func parseInterval(v string, g *generalized) bool {
	s := strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(v, "岁"), "元"))
	if s == "" {
		return false
	}
	num := func(t string) (float64, bool) {
		x, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(t), ",", ""), 64)
		return x, err == nil
	}
	inf := math.Inf(1)
	for _, p := range []struct {
		prefix, suffix string
		lower, incl    bool
	}{{">=", "", true, true}, {"≥", "", true, true}, {">", "", true, false}, {"<=", "", false, true}, {"≤", "", false, true},
		{"<", "", false, false}, {"", "+", true, true}, {"", "以上", true, true}, {"", "及以上", true, true}, {"", "以下", false, false}} {
		if p.prefix != "" && strings.HasPrefix(s, p.prefix) || p.suffix != "" && strings.HasSuffix(s, p.suffix) {
			x, ok := num(strings.TrimSuffix(strings.TrimPrefix(s, p.prefix), p.suffix))
			if !ok {
				return false
			}
			if p.lower {
				g.lo, g.loIn, g.hi, g.hiIn = x, p.incl, inf, false
			} else {
				g.lo, g.loIn, g.hi, g.hiIn = -inf, false, x, p.incl
			}
			return true
		}
	}
	if (s[0] == '[' || s[0] == '(') && len(s) > 2 {
		end := s[len(s)-1]
		lo, hi, ok := strings.Cut(s[1:len(s)-1], ",")
		a, okA := num(lo)
		b, okB := num(hi)
		if !ok || !okA || !okB || a > b || !strings.ContainsRune("])[", rune(end)) {
			return false
		}
		g.lo, g.hi, g.loIn, g.hiIn = a, b, s[0] == '[', end == ']'
		return true
	}
	for _, sep := range []string{"~", "–", "—", "至", "-"} {
		i := strings.Index(s[1:], sep) // s[1:]: a leading minus is a sign
		if i < 0 {
			continue
		}
		a, okA := num(s[:i+1])
		b, okB := num(s[i+1+len(sep):])
		if okA && okB && a <= b {
			g.lo, g.hi, g.loIn, g.hiIn = a, b, true, true
			return true
		}
		return false
	}
	return false
}
