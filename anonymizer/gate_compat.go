package anonymizer

import (
	"sort"
	"strings"
)

// qiLink holds, for one quasi-identifier, the release values each raw value
// is consistent with: equal, inside an interval or period, under a mask or
// "*", in a set, a GB/T 2260 prefecture or province code above a county, or
// a generalization of it in the column's hierarchy.
type qiLink struct {
	name     string
	raw, rel *Column
	gen      []generalized
	compat   [][]int32 // raw code -> consistent release codes
}

// newQILink parses the release values of one quasi-identifier and links
// every raw value to them. h may be nil. With truncated, a release value
// that is a prefix of the raw value (an identifier cut short) covers it too.
func newQILink(raw, rel *Column, h *Hierarchy, truncated bool) *qiLink {
	l := &qiLink{name: rel.Name, raw: raw, rel: rel, gen: make([]generalized, len(rel.Dict))}
	exact := make(map[string][]int32, len(rel.Dict))
	var any, globs []int32
	masks := map[string]map[string][]int32{} // positional pattern -> visible key -> codes
	var ranges, periods []int32
	sets := map[string][]int32{}
	for code, v := range rel.Dict {
		g := parseGeneralized(v)
		l.gen[code] = g
		c := int32(code)
		exact[g.value] = append(exact[g.value], c)
		switch g.kind {
		case linkAny:
			any = append(any, c)
		case linkMask:
			if len(masks) < maxMaskPatterns {
				pat, key := maskKey(g.runes, g.runes)
				if masks[pat] == nil {
					masks[pat] = map[string][]int32{}
				}
				masks[pat][key] = append(masks[pat][key], c)
			} else {
				globs = append(globs, c)
			}
		case linkInterval:
			ranges = append(ranges, c)
		case linkDate:
			periods = append(periods, c)
		case linkSet:
			for _, m := range g.members {
				sets[m] = append(sets[m], c)
			}
		}
	}
	division := markDivisionBands(l.gen, raw)
	var prefixLens []int // rune lengths of the release values, for truncations
	if truncated {
		seen := map[int]bool{}
		for _, g := range l.gen {
			if n := len([]rune(g.value)); g.kind == linkExact && !seen[n] && len(prefixLens) < 16 {
				seen[n] = true
				prefixLens = append(prefixLens, n)
			}
		}
	}
	rangeIx := newSpanIndex(ranges, func(c int32) (float64, float64) { return l.gen[c].lo, l.gen[c].hi })
	periodIx := newSpanIndex(periods, func(c int32) (float64, float64) { return float64(l.gen[c].from), float64(l.gen[c].to) })
	stamp := make([]int32, len(rel.Dict))
	l.compat = make([][]int32, len(raw.Dict))
	for rc, rv := range raw.Dict {
		rv = strings.TrimSpace(rv)
		var out []int32
		add := func(cs ...int32) {
			for _, c := range cs {
				if stamp[c] != int32(rc)+1 {
					stamp[c] = int32(rc) + 1
					out = append(out, c)
				}
			}
		}
		add(exact[rv]...)
		add(any...)
		for pat, ix := range masks {
			if len(pat) == len([]rune(rv)) {
				_, key := maskKey([]rune(pat), []rune(rv))
				add(ix[key]...)
			}
		}
		for _, c := range globs {
			if l.gen[c].covers(rv) {
				add(c)
			}
		}
		if x, ok := rawNumber(rv); ok {
			rangeIx.each(x, func(c int32) {
				if l.gen[c].covers(rv) {
					add(c)
				}
			})
		} else if d, ok := parseDay(rv); ok {
			periodIx.each(float64(d), func(c int32) { add(c) })
			rangeIx.each(float64(d/10000), func(c int32) {
				if l.gen[c].covers(rv) {
					add(c)
				}
			})
		}
		add(sets[rv]...)
		if len(prefixLens) > 0 {
			runes := []rune(rv)
			for _, n := range prefixLens {
				if n < len(runes) {
					add(exact[string(runes[:n])]...)
				}
			}
		}
		if division && len(rv) == 6 {
			add(exact[rv[:4]+"00"]...)
			add(exact[rv[:2]+"0000"]...)
		}
		if h != nil {
			for lv := 1; lv <= h.Height(); lv++ {
				if gv, ok := h.Generalize(rv, lv); ok {
					add(exact[gv]...)
				}
			}
		}
		l.compat[rc] = out
	}
	return l
}

// maskKey returns the pattern of mask (one '*' or '.' per character) and the
// characters of v at the positions mask shows.
func maskKey(mask, v []rune) (pattern, key string) {
	var p, k strings.Builder
	for i, r := range mask {
		if isMaskRune(r) {
			p.WriteByte('*')
		} else {
			p.WriteByte('.')
			k.WriteRune(v[i])
		}
	}
	return p.String(), k.String()
}

// markDivisionBands reports whether the column holds GB/T 2260 codes: the
// raw values are (nearly all) division codes (IsDivisionCode) and some
// release values are codes ending in 00. Such a release value is a prefecture (XXXX00) or
// province (XX0000) — county codes never end in 00 — and covers the raw
// codes below it, as the engine's division hierarchy and Mondrian's local
// recoding write them.
func markDivisionBands(gen []generalized, raw *Column) bool {
	band := false
	for _, g := range gen {
		v := g.value
		if len(v) == 6 && strings.Trim(v, "0123456789") == "" && strings.HasSuffix(v, "00") {
			band = true
			break
		}
	}
	if !band || len(raw.Dict) == 0 {
		return false
	}
	codes := 0
	for _, v := range raw.Dict {
		if IsDivisionCode(strings.TrimSpace(v)) {
			codes++
		}
	}
	return codes*10 >= len(raw.Dict)*9
}

// spanIndex finds the spans [lo, hi] containing a point: spans sorted by lo
// with the running maximum of hi, scanned backwards from the last lo ≤ x.
type spanIndex struct {
	codes  []int32
	lo     []float64
	maxHi  []float64
	bounds func(int32) (float64, float64)
}

func newSpanIndex(codes []int32, bounds func(int32) (float64, float64)) *spanIndex {
	s := &spanIndex{codes: append([]int32(nil), codes...), bounds: bounds}
	sort.Slice(s.codes, func(i, j int) bool {
		a, _ := bounds(s.codes[i])
		b, _ := bounds(s.codes[j])
		return a < b
	})
	for i, c := range s.codes {
		lo, hi := bounds(c)
		s.lo = append(s.lo, lo)
		if i > 0 && s.maxHi[i-1] > hi {
			hi = s.maxHi[i-1]
		}
		s.maxHi = append(s.maxHi, hi)
	}
	return s
}

// each calls f for every span that may contain x (the caller checks the
// ends' openness).
func (s *spanIndex) each(x float64, f func(int32)) {
	i := sort.Search(len(s.lo), func(i int) bool { return s.lo[i] > x }) - 1
	for ; i >= 0 && s.maxHi[i] >= x; i-- {
		if _, hi := s.bounds(s.codes[i]); hi >= x {
			f(s.codes[i])
		}
	}
}
