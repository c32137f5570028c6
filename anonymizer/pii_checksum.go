package anonymizer

// LuhnValid reports whether s, a string of ASCII digits (at least two), passes
// the Luhn (ISO/IEC 7812-1 mod 10) check, as bank card numbers and IMEIs do.
func LuhnValid(s string) bool {
	if len(s) < 2 {
		return false
	}
	sum := 0
	double := false
	for i := len(s) - 1; i >= 0; i-- {
		c := s[i]
		if c < '0' || c > '9' {
			return false
		}
		d := int(c - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

// LuhnCheckDigit returns the digit that, appended to the digits of body, makes
// a Luhn-valid number (0 when body holds a non-digit).
func LuhnCheckDigit(body string) byte {
	sum := 0
	double := true
	for i := len(body) - 1; i >= 0; i-- {
		c := body[i]
		if c < '0' || c > '9' {
			return 0
		}
		d := int(c - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return byte('0' + (10-sum%10)%10)
}

// usccAlphabet is the GB 32100-2015 character set (digits and capitals
// without I, O, Z, S, V), in code order 0..30.
const usccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// usccWeights are the GB 32100-2015 weights 3^(i) mod 31 of the 17 body characters.
var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

func usccValue(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'A' && c <= 'Z':
		for i := 10; i < len(usccAlphabet); i++ {
			if usccAlphabet[i] == c {
				return i
			}
		}
	}
	return -1
}

// USCCCheckChar returns the GB 32100-2015 check character of the 17 body
// characters of a unified social credit code, or 0 when body is malformed.
func USCCCheckChar(body string) byte {
	if len(body) != 17 {
		return 0
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := usccValue(body[i])
		if v < 0 {
			return 0
		}
		sum += v * usccWeights[i]
	}
	return usccAlphabet[(31-sum%31)%31]
}

// ValidUSCC reports whether s is a valid unified social credit code (GB
// 32100-2015): 18 characters of the code set, a registration authority
// (1–9, A, N, Y), a listed province-level area code in characters 3–8, an
// organization code whose GB 11714 check character is right, and the MOD 31
// check character. It is safe for concurrent use.
func ValidUSCC(s string) bool {
	if len(s) != 18 {
		return false
	}
	switch c := s[0]; {
	case c >= '1' && c <= '9', c == 'A', c == 'N', c == 'Y':
	default:
		return false
	}
	if USCCCheckChar(s[:17]) != s[17] {
		return false
	}
	if !allDigits(s[2:8]) {
		return false
	}
	if _, ok := ProvinceName(s[2:8]); !ok {
		return false
	}
	return orgCodeCheckChar(s[8:16]) == s[16]
}

// orgCodeWeights are the GB 11714-1997 weights of the 8 body characters of an
// organization code.
var orgCodeWeights = [8]int{3, 7, 9, 10, 5, 8, 4, 2}

// orgCodeCheckChar returns the GB 11714 check character (0–9 or X) of an
// organization code body, or 0 when it is malformed.
func orgCodeCheckChar(body string) byte {
	if len(body) != 8 {
		return 0
	}
	sum := 0
	for i := 0; i < 8; i++ {
		c := body[i]
		var v int
		switch {
		case c >= '0' && c <= '9':
			v = int(c - '0')
		case c >= 'A' && c <= 'Z':
			v = int(c-'A') + 10
		default:
			return 0
		}
		sum += v * orgCodeWeights[i]
	}
	switch r := 11 - sum%11; r {
	case 10:
		return 'X'
	case 11:
		return '0'
	default:
		return byte('0' + r)
	}
}
