package fingerprint

import "strings"

// number is a plain decimal value split for digit arithmetic: an optional
// sign, integer digits and fraction digits ("-12.50" is neg, "12", "50").
// Exponents and thousands separators are not numbers here.
type number struct {
	neg        bool
	intp, frac string
	// lead is the number of bytes before the first digit in the trimmed
	// text (the sign), dot the index of '.' (len when none).
	lead, dot int
	text      string
}

// parseNumber splits s (surrounding spaces ignored); ok is false for
// anything but an optional sign, digits, and an optional '.' with digits.
func parseNumber(s string) (n number, ok bool) {
	s = strings.TrimSpace(s)
	n.text = s
	if s != "" && (s[0] == '-' || s[0] == '+') {
		n.neg, n.lead = s[0] == '-', 1
	}
	body := s[n.lead:]
	n.intp, n.frac, _ = strings.Cut(body, ".")
	n.dot = n.lead + len(n.intp)
	if n.intp == "" || !allDigits(n.intp) || !allDigits(n.frac) || (strings.Contains(body, ".") && n.frac == "") {
		return number{}, false
	}
	return n, true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// index returns the byte index in n.text of the digit at 10^e, or -1 when
// the text does not write that digit.
func (n number) index(e int) int {
	if e >= 0 {
		if e >= len(n.intp) {
			return -1
		}
		return n.dot - 1 - e
	}
	if -e > len(n.frac) {
		return -1
	}
	return n.dot + -e
}

// digit returns the digit at 10^e (0 when not written: "12.5" has 0 at 10^-2).
func (n number) digit(e int) int {
	if i := n.index(e); i >= 0 {
		return int(n.text[i] - '0')
	}
	return 0
}

// bucket is the value with every digit at 10^e and below cut off, leading
// zeros dropped: 77516 at e=0 is "7751", 12.345 at e=-2 is "12.3"; "" when
// nothing significant is left (the digit is the value's first).
func (n number) bucket(e int) string {
	var b strings.Builder
	if e >= 0 {
		if e+1 < len(n.intp) {
			b.WriteString(strings.TrimLeft(n.intp[:len(n.intp)-e-1], "0"))
		}
	} else {
		b.WriteString(strings.TrimLeft(n.intp, "0"))
		frac := n.frac
		for len(frac) < -e-1 {
			frac += "0"
		}
		if k := -e - 1; k > 0 {
			b.WriteString(".")
			b.WriteString(frac[:k])
		}
	}
	s := b.String()
	if strings.Trim(s, "0.") == "" {
		return ""
	}
	if n.neg {
		return "-" + s
	}
	return s
}

// withDigit returns n.text with the digit at 10^e set to d; the digit must
// be written (index >= 0).
func (n number) withDigit(e, d int) string {
	i := n.index(e)
	return n.text[:i] + string(rune('0'+d)) + n.text[i+1:]
}

// masked is the value with its digit at 10^e hidden: the bucket, "?", and
// the digits below as written (trailing fraction zeros dropped, which a
// spreadsheet drops too): 203517 at e=2 is "203?17".
func (n number) masked(e int) string {
	var low string
	if e >= 0 {
		if e < len(n.intp) {
			low = n.intp[len(n.intp)-e:]
		}
		low += "." + n.frac
	} else if -e < len(n.frac) {
		low = "." + n.frac[-e:]
	}
	return n.bucket(e) + "?" + strings.TrimRight(strings.TrimRight(low, "0"), ".")
}
