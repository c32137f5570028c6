package anonymizer

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// maskRunes are the characters releases use to hide part of a value.
const maskRunes = "*＊#•●×?"

func isMaskRune(r rune) bool { return strings.ContainsRune(maskRunes, r) }

// hasMask reports whether v hides some characters and shows others.
func hasMask(v string) bool {
	masked, shown := false, false
	for _, r := range v {
		if isMaskRune(r) {
			masked = true
		} else {
			shown = true
		}
	}
	return masked && shown
}

// maskBucket counts the distinct raw identifiers consistent with one masked
// form.
type maskBucket struct {
	count int
	first string
}

// maskCache indexes the raw identifiers by their visible characters under
// each mask pattern met so far. Patterns are few per column, so each index
// is built once.
type maskCache struct {
	ix         *idIndex
	positional map[string]map[string]*maskBucket // pattern -> visible key -> bucket
	glob       map[[2]int]map[string]*maskBucket // (prefix, suffix) rune lengths -> key -> bucket
}

// maxMaskPatterns bounds the indexes built, so that a column of arbitrary
// masks cannot make the gate quadratic.
const maxMaskPatterns = 64

// tooLittle returns why the masked value v still identifies, or "" when it
// does not (or matches no raw identifier). v identifies when it is consistent
// with fewer than minClass raw identifiers, or when what it shows is an
// identifying part: a resident ID's area code and birth date, a mobile
// number with fewer than four digits hidden, a bank card with fewer than six.
func (m *maskCache) tooLittle(v string, minClass int) string {
	runes := []rune(v)
	b := m.positionalBucket(runes)
	if b == nil || b.count == 0 {
		b = m.globBucket(runes)
	}
	if b == nil || b.count == 0 {
		return ""
	}
	hidden := 0
	for _, r := range runes {
		if isMaskRune(r) {
			hidden++
		}
	}
	if why := typedMaskRule(runes, b.first, hidden); why != "" {
		return why
	}
	if b.count < minClass {
		return fmt.Sprintf("consistent with %d raw identifier(s), fewer than %d", b.count, minClass)
	}
	return ""
}

// typedMaskRule applies the rules of the identifier type of raw (the first
// raw identifier consistent with the mask) to the positions runes shows.
func typedMaskRule(runes []rune, raw string, hidden int) string {
	if len(runes) != utf8.RuneCountInString(raw) {
		return ""
	}
	shown := func(from, to int) bool {
		for i := from; i < to; i++ {
			if isMaskRune(runes[i]) {
				return false
			}
		}
		return true
	}
	digits := strings.Trim(raw, "0123456789") == ""
	switch {
	case len(raw) == 18 && strings.Trim(raw[:17], "0123456789") == "" && strings.ContainsRune("0123456789Xx", rune(raw[17])):
		if shown(0, 6) && shown(6, 14) {
			return "resident ID shows its area code and birth date (GB 11643-1999 positions 1–14)"
		}
	case len(raw) == 15 && digits:
		if shown(0, 6) && shown(6, 12) {
			return "legacy resident ID shows its area code and birth date"
		}
	case len(raw) == 11 && digits && raw[0] == '1':
		if hidden < 4 {
			return fmt.Sprintf("mobile number with only %d digit(s) hidden: %d candidates to try", hidden, pow10(hidden))
		}
	case len(raw) >= 16 && len(raw) <= 19 && digits:
		if hidden < 6 {
			return fmt.Sprintf("card number with only %d digit(s) hidden", hidden)
		}
	}
	return ""
}

func pow10(n int) int {
	p := 1
	for range n {
		p *= 10
	}
	return p
}

// positionalBucket matches runes against raw identifiers of the same length
// whose characters agree at every shown position.
func (m *maskCache) positionalBucket(runes []rune) *maskBucket {
	if len(m.ix.byLen[len(runes)]) == 0 {
		return nil
	}
	var pat strings.Builder
	var key strings.Builder
	for _, r := range runes {
		if isMaskRune(r) {
			pat.WriteByte('*')
		} else {
			pat.WriteByte('.')
			key.WriteRune(r)
		}
	}
	idx, ok := m.positional[pat.String()]
	if !ok {
		if len(m.positional) >= maxMaskPatterns {
			return nil
		}
		p := pat.String()
		idx = make(map[string]*maskBucket)
		for _, raw := range m.ix.byLen[len(runes)] {
			var k strings.Builder
			i := 0
			for _, r := range raw {
				if p[i] == '.' {
					k.WriteRune(r)
				}
				i++
			}
			addBucket(idx, k.String(), raw)
		}
		m.positional[p] = idx
	}
	return idx[key.String()]
}

// globBucket treats one run of mask characters as "any characters": "张*"
// matches 张三 and 张小明; "1380*00" any number with that prefix and suffix.
func (m *maskCache) globBucket(runes []rune) *maskBucket {
	first, last := -1, -1
	for i, r := range runes {
		if isMaskRune(r) {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 {
		return nil // nothing masked
	}
	for i := first; i <= last; i++ {
		if !isMaskRune(runes[i]) {
			return nil // several separate runs: no single glob
		}
	}
	prefix, suffix := string(runes[:first]), string(runes[last+1:])
	shape := [2]int{first, len(runes) - last - 1}
	idx, ok := m.glob[shape]
	if !ok {
		if len(m.glob) >= maxMaskPatterns {
			return nil
		}
		idx = make(map[string]*maskBucket)
		for n, vals := range m.ix.byLen {
			if n <= shape[0]+shape[1] {
				continue
			}
			for _, raw := range vals {
				r := []rune(raw)
				addBucket(idx, string(r[:shape[0]])+"\x00"+string(r[len(r)-shape[1]:]), raw)
			}
		}
		m.glob[shape] = idx
	}
	return idx[prefix+"\x00"+suffix]
}

func addBucket(idx map[string]*maskBucket, key, raw string) {
	b := idx[key]
	if b == nil {
		b = &maskBucket{first: raw}
		idx[key] = b
	}
	b.count++
}
