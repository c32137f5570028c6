package market

import "strings"

// foldPlain is FoldTerm for text made only of ASCII and CJK unified
// ideographs (U+4E00–U+9FFF), which is nearly every condition value, column
// name and synonym: width narrowing leaves those alone, and case folding
// only lowers A–Z. It returns s itself, without allocating, when s is
// already folded, and ok false for any other text (FoldTerm then takes the
// x/text transformers). A quote folds every spelling of the rule set's
// vocabulary and an order's Art. 36 re-check every content signature's
// column names: FoldTerm was a sixth of the objects the server allocated
// under the load benchmark (bench/RESULTS.md, t18b).
func foldPlain(s string) (string, bool) {
	folded := true // s is its own folded form so far
	sep := true    // at the start, or after a separator
	for _, r := range s {
		switch {
		case r >= 0x80 && (r < 0x4E00 || r > 0x9FFF):
			return "", false
		case r == '_':
			if sep {
				folded = false
			}
			sep = true
		case asciiSeparator(r):
			folded, sep = false, true
		default:
			if 'A' <= r && r <= 'Z' {
				folded = false
			}
			sep = false
		}
	}
	if sep && s != "" {
		folded = false // a trailing separator
	}
	if folded {
		return s, true
	}
	var b strings.Builder
	b.Grow(len(s))
	sep = false
	for _, r := range s {
		if r == '_' || asciiSeparator(r) {
			sep = true
			continue
		}
		if sep && b.Len() > 0 {
			b.WriteByte('_')
		}
		sep = false
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String(), true
}

// asciiSeparator reports whether r is an ASCII rune FoldTerm turns into an
// underscore: a space (unicode.IsSpace within ASCII) or a hyphen.
func asciiSeparator(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\v', '\f', '\r', '-':
		return true
	}
	return false
}
