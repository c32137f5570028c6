package httpapi

import (
	"bytes"
	"unicode/utf8"
)

// jsonPlainlyClean reports, in one pass over the bytes and without
// allocating, that checkJSON would find nothing in body: it is valid UTF-8,
// no string holds an escape or a control byte (so its text is its bytes,
// and "\u0000" cannot be in it), no string that looks like a number is too
// large for one, and no number is. It may answer false for a body checkJSON
// accepts (a string with an escape, a key that looks like a large number,
// malformed JSON): guardInput then takes checkJSON's token walk, which names
// the field. The string test is looksNumeric's, on the bytes. The walk allocated for every token, an error for every value
// inside an object among them, on every JSON request.
func jsonPlainlyClean(body []byte) bool {
	if !utf8.Valid(body) {
		return false
	}
	for i := 0; i < len(body); i++ {
		switch c := body[i]; {
		case c == '"':
			j := i + 1
			for j < len(body) && body[j] != '"' {
				if body[j] == '\\' || body[j] < 0x20 {
					return false
				}
				j++
			}
			if j == len(body) {
				return false
			}
			if s := body[i+1 : j]; mayBeNumber(s) && len(s) <= 400 && numeric.Match(bytes.TrimSpace(s)) && !tameNumber(string(s)) {
				return false
			}
			i = j
		case c == '-' || '0' <= c && c <= '9':
			j := i
			for j < len(body) && numberByte(body[j]) {
				j++
			}
			if !tameNumber(string(body[i:j])) {
				return false
			}
			i = j - 1
		}
	}
	return true
}

// mayBeNumber reports whether s, a JSON string's text, may start (after
// spaces) as looksNumeric's pattern does: a sign, a digit or a point, or a
// non-ASCII byte (strings.TrimSpace also trims spaces beyond ASCII).
func mayBeNumber(s []byte) bool {
	for _, c := range s {
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f':
			continue
		case c == '+' || c == '-' || c == '.' || '0' <= c && c <= '9' || c >= 0x80:
			return true
		}
		return false
	}
	return false
}

func numberByte(c byte) bool {
	return '0' <= c && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'
}
