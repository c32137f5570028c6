package anonymizer

import (
	"strings"
	"unicode/utf8"
)

// MaskValue returns v with most of it replaced by '*', keeping what shows
// the type but does not identify: the first three and last character of
// numbers and codes (110***********002X), the surname of a name (张**), the
// domain of an e-mail (z***@example.com), the first six characters of an
// address, the year of a date. Quasi-identifiers other than dates are kept.
func MaskValue(t PIIType, v string) string {
	n := utf8.RuneCountInString(v)
	switch t {
	case TypeSex, TypeRegion:
		return v
	case TypeDivisionCode:
		return keepRunes(v, 2, 0)
	case TypeDate, TypeBirthDate:
		return keepRunes(v, 4, 0)
	case TypeName:
		return keepRunes(v, 1, 0)
	case TypeEmail:
		if at := strings.IndexByte(v, '@'); at > 0 {
			return v[:1] + "***" + v[at:]
		}
	case TypeAddress:
		return keepRunes(v, min(6, n/2), 0)
	case TypeMobile, TypeLandline:
		return keepRunes(v, 3, 4)
	case TypeIPv4, TypeIPv6, TypeMAC, TypeCoordinates:
		return keepRunes(v, n/3, 0)
	}
	if n <= 6 {
		return keepRunes(v, 1, 0)
	}
	return keepRunes(v, 3, min(2, n/6))
}

// keepRunes keeps the first head and last tail runes of v and masks the
// rest, leaving separators (space, '-', ':', '.', '@') in place.
func keepRunes(v string, head, tail int) string {
	n := utf8.RuneCountInString(v)
	if head+tail >= n {
		head, tail = min(head, n/2), 0
	}
	var b strings.Builder
	b.Grow(len(v))
	i := 0
	for _, r := range v {
		if i < head || i >= n-tail || strings.ContainsRune(" -:.@", r) {
			b.WriteRune(r)
		} else {
			b.WriteByte('*')
		}
		i++
	}
	return b.String()
}
