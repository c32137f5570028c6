package anonymizer

import (
	"strings"
	"unicode/utf8"
)

// birthCues are words after which a date of birth follows.
var birthCues = []string{"出生日期", "出生年月", "出生于", "出生", "生日", "DOB", "dob", "Date of birth", "date of birth"}

// cueSeparators may stand between a cue and its value.
const cueSeparators = "：: 为是叫于=\t"

// cueKind tells what follows a cue word.
type cueKind int

const (
	cueName cueKind = iota
	cueBirth
	cueHonorific // after a name: 先生, 女士
)

type cue struct {
	word string
	kind cueKind
}

// cuesByRune indexes the cue words by their first character, so that text
// is scanned once for all of them.
var cuesByRune = func() map[rune][]cue {
	m := map[rune][]cue{}
	for _, w := range nameCues {
		r, _ := utf8.DecodeRuneInString(w)
		m[r] = append(m[r], cue{w, cueName})
	}
	for _, w := range honorifics {
		r, _ := utf8.DecodeRuneInString(w)
		m[r] = append(m[r], cue{w, cueHonorific})
	}
	for _, w := range birthCues {
		r, _ := utf8.DecodeRuneInString(w)
		m[r] = append(m[r], cue{w, cueBirth})
	}
	return m
}()

// Flags of characters that start something scanHan looks for.
const (
	flagPlate byte = 1 << iota
	flagCue
	flagAnchor
	flagSurname  // a single-character surname
	flagNotGiven // rare in given names, common in category words
)

// runeFlags marks, for every character of the Basic Multilingual Plane, what
// it may start, so that scanHan does one array lookup per character.
var runeFlags = func() *[0x10000]byte {
	var f [0x10000]byte
	for _, r := range plateProvinces {
		f[r] |= flagPlate
	}
	for r := range cuesByRune {
		f[r] |= flagCue
	}
	for _, r := range addressAnchors {
		f[r] |= flagAnchor
	}
	for _, r := range singleSurnames {
		f[r] |= flagSurname
	}
	for _, r := range notGivenName {
		f[r] |= flagNotGiven
	}
	return &f
}()

// scanHan finds, in one pass over text, what Han characters announce:
// vehicle plates (a province abbreviation), personal names and dates of
// birth after a cue word, and addresses around a road or number marker.
func scanHan(text string, ms []Match) []Match {
	addrEnd := 0
	for i := 0; i < len(text); {
		c := text[i]
		if c < 0x80 && c != 'D' && c != 'd' {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if r >= 0x10000 || runeFlags[r]&(flagPlate|flagCue|flagAnchor) == 0 {
			i += size
			continue
		}
		flags := runeFlags[r]
		if flags&flagPlate != 0 && i+size < len(text) && isUpperNoIO(text[i+size]) {
			if n := plateLen(text[i:]); n > 0 && (i+n == len(text) || !isAlnum(text[i+n])) {
				ms = append(ms, Match{Type: TypePlate, Start: i, End: i + n, Value: text[i : i+n]})
				i += n
				continue
			}
		}
		for _, cu := range cuesByRune[r] {
			if flags&flagCue == 0 {
				break
			}
			if !strings.HasPrefix(text[i:], cu.word) {
				continue
			}
			if cu.kind == cueHonorific {
				if n := nameBefore(text[:i]); n > 0 {
					ms = append(ms, Match{Type: TypeName, Start: i - n, End: i, Value: text[i-n : i]})
				}
				break
			}
			start := skipSeparators(text, i+len(cu.word))
			if cu.kind == cueName {
				if n := nameAfterCue(text[start:]); n > 0 {
					ms = append(ms, Match{Type: TypeName, Start: start, End: start + n, Value: text[start : start+n]})
				}
			} else if n := dateAt(text[start:]); n > 0 && ValidBirthDate(text[start:start+n]) {
				ms = append(ms, Match{Type: TypeBirthDate, Start: start, End: start + n, Value: text[start : start+n]})
			}
			break
		}
		if flags&flagAnchor != 0 && i >= addrEnd {
			if start, end, ok := addressSpanAround(text, i, i+size); ok {
				ms = append(ms, Match{Type: TypeAddress, Start: start, End: end, Value: text[start:end]})
				addrEnd = end
			}
		}
		i += size
	}
	return ms
}

func skipSeparators(text string, i int) int {
	for n := 0; n < 3 && i < len(text); n++ {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !strings.ContainsRune(cueSeparators, r) {
			break
		}
		i += size
	}
	return i
}

// dateAt returns the byte length of the longest date (see ParseDate) at the
// start of s, or 0.
func dateAt(s string) int {
	end := 0
	for i, r := range s {
		if !(r >= '0' && r <= '9' || r == '-' || r == '/' || r == '.' || r == '年' || r == '月' || r == '日') || i > 20 {
			break
		}
		end = i + utf8.RuneLen(r)
	}
	for ; end >= 8; end-- {
		if end < len(s) && (!utf8.RuneStart(s[end]) || s[end] >= '0' && s[end] <= '9') {
			continue // not a character boundary, or a longer number
		}
		if _, _, _, ok := ParseDate(s[:end]); ok && !strings.ContainsRune(s[:end], ' ') {
			return end
		}
	}
	return 0
}

// addressAnchors are the markers around which addresses are looked for.
const addressAnchors = "号室村路街巷弄"

// scanAddresses finds addresses down to road or number (see LooksLikeAddress).
func scanAddresses(text string, ms []Match) []Match {
	for _, m := range scanHan(text, nil) {
		if m.Type == TypeAddress {
			ms = append(ms, m)
		}
	}
	return ms
}
