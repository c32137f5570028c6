package anonymizer

import (
	"strings"
)

// mobilePrefix2 marks the allocated second and third digits of mainland
// mobile numbers (MIIT numbering plan): 13x, 145–149, 150–153, 155–159,
// 162, 165–167, 170–173, 175–178, 18x, 190–193, 195–199 (174 is
// satellite and maritime, 140–144 are 13-digit IoT numbers).
var mobilePrefix2 = func() (m [10][10]bool) {
	for _, p := range []string{
		"30", "31", "32", "33", "34", "35", "36", "37", "38", "39",
		"45", "46", "47", "48", "49", "50", "51", "52", "53", "55", "56", "57", "58", "59",
		"62", "65", "66", "67", "70", "71", "72", "73", "75", "76", "77", "78",
		"80", "81", "82", "83", "84", "85", "86", "87", "88", "89",
		"90", "91", "92", "93", "95", "96", "97", "98", "99",
	} {
		m[p[0]-'0'][p[1]-'0'] = true
	}
	return m
}()

// ValidMobile reports whether s is a mainland mobile number: 11 digits
// 1[3-9]… with an allocated prefix, optionally written with +86 or 0086 and
// with spaces or dashes between digit groups.
func ValidMobile(s string) bool {
	d, ok := phoneDigits(s)
	return ok && validMobileDigits(d)
}

func validMobileDigits(d string) bool {
	if strings.HasPrefix(d, "86") && len(d) == 13 {
		d = d[2:]
	}
	return len(d) == 11 && d[0] == '1' && allDigits(d) && mobilePrefix2[d[1]-'0'][d[2]-'0']
}

// ValidLandline reports whether s is a fixed-line number with its area code:
// 010 or 02X followed by 8 digits, or a four-digit area code 0[3-9]XX followed
// by 7 or 8 digits; the subscriber number starts with 2–8. It may be written
// with +86 (dropping the 0), parentheses around the area code, spaces or
// dashes.
func ValidLandline(s string) bool {
	d, ok := phoneDigits(s)
	return ok && validLandlineDigits(d)
}

func validLandlineDigits(d string) bool {
	if strings.HasPrefix(d, "86") && len(d) >= 11 && d[2] != '0' {
		d = "0" + d[2:]
	}
	if len(d) < 10 || len(d) > 12 || d[0] != '0' || !allDigits(d) {
		return false
	}
	var sub string
	switch {
	case d[1] == '1' && d[2] == '0', d[1] == '2':
		sub = d[3:]
		if len(sub) != 8 {
			return false
		}
	case d[1] >= '3' && d[1] <= '9':
		sub = d[4:]
		if len(sub) != 7 && len(sub) != 8 {
			return false
		}
	default:
		return false
	}
	return sub[0] >= '2' && sub[0] <= '8'
}

// phoneDigits strips a leading +86/0086, spaces, dashes and parentheses
// from s and returns the digits (with "86" kept after a +86 prefix); ok is
// false when s holds anything else.
func phoneDigits(s string) (string, bool) {
	s = strings.TrimSpace(s)
	var b strings.Builder
	b.Grow(len(s))
	if strings.HasPrefix(s, "+") {
		s = s[1:]
		if !strings.HasPrefix(s, "86") {
			return "", false
		}
	} else if strings.HasPrefix(s, "0086") {
		s = s[2:]
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			b.WriteByte(c)
		case c == ' ' || c == '-' || c == '(' || c == ')':
		default:
			return "", false
		}
	}
	return b.String(), b.Len() > 0
}

// ValidEmail reports whether s is an e-mail address: a local part of
// letters, digits and . _ % + - (not starting or ending with a dot), '@', and
// a domain of at least two labels whose last is alphabetic.
func ValidEmail(s string) bool {
	at := strings.IndexByte(s, '@')
	if at <= 0 || at > 64 || at == len(s)-1 {
		return false
	}
	local, domain := s[:at], s[at+1:]
	if local[0] == '.' || local[len(local)-1] == '.' || strings.Contains(local, "..") {
		return false
	}
	for i := 0; i < len(local); i++ {
		c := local[i]
		if !(isAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-') {
			return false
		}
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 || len(domain) > 253 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			if !isAlnum(l[i]) && l[i] != '-' {
				return false
			}
		}
	}
	tld := labels[len(labels)-1]
	if len(tld) < 2 {
		return false
	}
	for i := 0; i < len(tld); i++ {
		if !isLetter(tld[i]) {
			return false
		}
	}
	return true
}

// ValidBankCard reports whether s (digits, optionally grouped by spaces or
// dashes) is a payment card number (ISO/IEC 7812): the issuer
// identification range and length of a scheme issued in China — UnionPay 62
// (16–19 digits), Visa 4 (16 or 19), Mastercard 51–55 and 2221–2720 (16),
// JCB 3528–3589 (16), Discover 6011, 644–649, 65 (16–19) — and a valid Luhn
// check digit.
func ValidBankCard(s string) bool {
	d, ok := groupedDigits(s)
	if !ok || len(d) < 16 || len(d) > 19 || !cardRange(d) {
		return false
	}
	return LuhnValid(d)
}

// cardRange reports whether the digits d start with an issuer range whose
// scheme issues cards of len(d) digits.
func cardRange(d string) bool {
	n := len(d)
	p2, p3, p4 := atoiDigits(d[:2]), atoiDigits(d[:3]), atoiDigits(d[:4])
	switch {
	case p2 == 62:
		return true
	case d[0] == '4':
		return n == 16 || n == 19
	case p2 >= 51 && p2 <= 55, p4 >= 2221 && p4 <= 2720:
		return n == 16
	case p4 >= 3528 && p4 <= 3589:
		return n == 16
	case p4 == 6011, p3 >= 644 && p3 <= 649, p2 == 65:
		return true
	}
	return false
}

// imeiReportingBodies are the first two digits of IMEIs (the TAC's reporting
// body identifier) allocated by the GSMA.
var imeiReportingBodies = map[string]bool{
	"01": true, "10": true, "30": true, "33": true, "35": true, "44": true,
	"45": true, "49": true, "50": true, "51": true, "52": true, "53": true,
	"54": true, "86": true, "91": true, "98": true, "99": true,
}

// ValidIMEI reports whether s is an IMEI: 15 digits (optionally grouped),
// an allocated reporting body identifier and a valid Luhn check digit.
func ValidIMEI(s string) bool {
	d, ok := groupedDigits(s)
	return ok && len(d) == 15 && imeiReportingBodies[d[:2]] && LuhnValid(d)
}

// groupedDigits returns the digits of s when s is digits separated by single
// spaces or dashes.
func groupedDigits(s string) (string, bool) {
	if !strings.ContainsAny(s, " -") {
		return s, allDigits(s)
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			b.WriteByte(c)
		case (c == ' ' || c == '-') && i > 0 && i < len(s)-1 && s[i-1] != ' ' && s[i-1] != '-':
		default:
			return "", false
		}
	}
	return b.String(), true
}

func isAlnum(c byte) bool  { return c >= '0' && c <= '9' || isLetter(c) }
func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isHex(c byte) bool    { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }
func isUpperNoIO(c byte) bool {
	return c >= 'A' && c <= 'Z' && c != 'I' && c != 'O'
}
