package anonymizer

import (
	"sort"
	"strings"
)

// FindIdentifiers returns the identifiers found anywhere in text (free
// text, a sentence, a whole cell), in order of position and without
// overlaps: validated numbers and codes (resident IDs, unified social credit
// codes, mobile and landline numbers, bank cards, IMEIs, e-mail, passports,
// travel permits, IP and MAC addresses, coordinates), vehicle plates,
// addresses down to road and number, and — after a cue word such as 姓名,
// 患者 or 出生 — personal names and dates of birth. Offsets are bytes. It is
// safe for concurrent use.
func FindIdentifiers(text string) []Match {
	var ms []Match
	for i := 0; i < len(text); {
		if !isTokenByte(text[i]) {
			i++
			continue
		}
		j := i + 1
		for j < len(text) && isTokenByte(text[j]) {
			j++
		}
		var next int
		ms, next = scanRun(text, i, j, ms)
		i = max(next, j)
	}
	ms = scanHan(text, ms)
	return dropAgainstContext(text, dropOverlaps(ms))
}

func isTokenByte(c byte) bool { return tokenBytes[c] }

// tokenBytes marks the bytes of ASCII runs: letters, digits and . _ % + - @ : ( ).
var tokenBytes = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		b := byte(c)
		t[c] = b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || strings.IndexByte("._%+-@:()", b) >= 0
	}
	return t
}()

// scanRun classifies the ASCII run text[i:j] and returns the matches and
// where scanning continues (after spaced digit groups it consumed).
func scanRun(text string, i, j int, ms []Match) ([]Match, int) {
	a, b := trimRun(text, i, j)
	if a >= b {
		return ms, j
	}
	s := text[a:b]
	if t, ok := classifyIdentifier(s); ok && t != TypeAddress {
		return append(ms, Match{Type: t, Start: a, End: b, Value: s}), j
	}
	if end, t, ok := spacedGroups(text, a, b); ok {
		return append(ms, Match{Type: t, Start: a, End: end, Value: text[a:end]}), end
	}
	if end, ok := coordinatesAt(text, a, b); ok {
		return append(ms, Match{Type: TypeCoordinates, Start: a, End: end, Value: text[a:end]}), end
	}
	// Pieces between ':' '@' '_' '%' (a URL, "tel:…", "ID_…"), then digit runs.
	start := a
	for k := a; k <= b; k++ {
		if k < b && !strings.ContainsRune(":@_%", rune(text[k])) {
			continue
		}
		if k > start {
			ms = scanPiece(text, start, k, ms)
		}
		start = k + 1
	}
	return ms, j
}

// scanPiece classifies text[a:b], or failing that each digit run in it (a
// trailing X or x kept for resident IDs; letters before it dropped).
func scanPiece(text string, a, b int, ms []Match) []Match {
	a, b = trimRun(text, a, b)
	if a >= b {
		return ms
	}
	if t, ok := classifyIdentifier(text[a:b]); ok && t != TypeAddress {
		return append(ms, Match{Type: t, Start: a, End: b, Value: text[a:b]})
	}
	for k := a; k < b; {
		if text[k] < '0' || text[k] > '9' {
			k++
			continue
		}
		e := k
		for e < b && (text[e] >= '0' && text[e] <= '9' || text[e] == '-' && e+1 < b && text[e+1] >= '0' && text[e+1] <= '9') {
			e++
		}
		if e < b && (text[e] == 'X' || text[e] == 'x') && e-k == 17 {
			e++
		}
		if e-k >= 10 && (k > a || e < b) {
			if t, ok := classifyIdentifier(text[k:e]); ok {
				ms = append(ms, Match{Type: t, Start: k, End: e, Value: text[k:e]})
			}
		}
		k = e
	}
	return ms
}

// trimRun drops punctuation that ends a sentence or opens a bracket from the
// ends of a run.
func trimRun(text string, a, b int) (int, int) {
	for a < b && strings.ContainsRune(".:-_%@)", rune(text[a])) {
		a++
	}
	for b > a && strings.ContainsRune(".:-_%@(", rune(text[b-1])) {
		b--
	}
	if b > a && text[b-1] == ')' && !strings.Contains(text[a:b], "(") {
		b--
	}
	if a < b && text[a] == '(' && !strings.Contains(text[a:b], ")") {
		a++
	}
	return a, b
}

// spacedGroups recognises a number written in groups separated by single
// spaces ("138 0013 8000", "6222 0212 3456 7890", "+86 10 8888 6666")
// starting with the run text[a:b]: the longest run of groups that is a
// mobile, landline, bank card or IMEI number.
func spacedGroups(text string, a, b int) (int, PIIType, bool) {
	if !isGroup(text[a:b], 16) {
		return 0, "", false
	}
	ends := []int{b}
	for e := b; e+1 < len(text) && text[e] == ' ' && len(ends) < 6; {
		k := e + 1
		for k < len(text) && isTokenByte(text[k]) {
			k++
		}
		if k == e+1 || !isGroup(strings.TrimRight(text[e+1:k], ".,:;"), 8) {
			break
		}
		e = e + 1 + len(strings.TrimRight(text[e+1:k], ".,:;"))
		ends = append(ends, e)
	}
	for n := len(ends) - 1; n >= 1; n-- {
		if t, ok := classifyNumber(text[a:ends[n]]); ok {
			return ends[n], t, true
		}
	}
	return 0, "", false
}

func isGroup(s string, maxLen int) bool {
	if s == "" || len(s) > maxLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || c == '+' || c == '(' || c == ')' || c == '-') {
			return false
		}
	}
	return true
}

// coordinatesAt recognises "lat,lon" or "lat, lon" (ASCII or full-width
// comma) starting with the decimal text[a:b].
func coordinatesAt(text string, a, b int) (int, bool) {
	if _, ok := parseDegrees(text[a:b]); !ok {
		return 0, false
	}
	k := b
	switch {
	case strings.HasPrefix(text[k:], ", "):
		k += 2
	case strings.HasPrefix(text[k:], ","):
		k++
	case strings.HasPrefix(text[k:], "，"):
		k += len("，")
	default:
		return 0, false
	}
	e := k
	for e < len(text) && (text[e] >= '0' && text[e] <= '9' || text[e] == '.' || text[e] == '-' && e == k) {
		e++
	}
	for e > k && text[e-1] == '.' {
		e--
	}
	if ValidCoordinates(text[a:b] + "," + text[k:e]) {
		return e, true
	}
	return 0, false
}

// dropOverlaps sorts matches by position and keeps, of overlapping ones, the
// one that starts first (the longer on a tie).
func dropOverlaps(ms []Match) []Match {
	if len(ms) < 2 {
		return ms
	}
	sort.SliceStable(ms, func(i, j int) bool {
		if ms[i].Start != ms[j].Start {
			return ms[i].Start < ms[j].Start
		}
		return ms[i].End > ms[j].End
	})
	out := ms[:1]
	for _, m := range ms[1:] {
		if m.Start >= out[len(out)-1].End {
			out = append(out, m)
		}
	}
	return out
}
