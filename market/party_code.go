package market

import "strings"

// creditCodeChars is the character set of the unified social credit code,
// GB 32100-2015 Table 1: digits and the capitals without I, O, Z, S, V.
// A character's value is its index.
const creditCodeChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// creditCodeWeights are the weights of positions 1–17 (GB 32100-2015 §5.2:
// 3^(i-1) mod 31).
var creditCodeWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// CreditCodeCheckChar computes the 18th character of a unified social credit
// code from its first 17 (GB 32100-2015 §5.2): C18 = 31 − (Σ Ci·Wi mod 31),
// where 31 becomes 0. It reports false when the prefix is not 17 characters
// of the code's character set.
func CreditCodeCheckChar(first17 string) (byte, bool) {
	if len(first17) != 17 {
		return 0, false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(creditCodeChars, first17[i])
		if v < 0 {
			return 0, false
		}
		sum += v * creditCodeWeights[i]
	}
	c := 31 - sum%31
	if c == 31 {
		c = 0
	}
	return creditCodeChars[c], true
}

// ValidateCreditCode checks a unified social credit code (统一社会信用代码,
// GB 32100-2015): 18 characters from the code's set, positions 3–8 an
// administrative division code of digits, and the check character. It
// returns an ErrInvalid *Error for field "credit_code" naming what is wrong.
func ValidateCreditCode(code string) error {
	if len(code) != 18 {
		return Invalid("credit_code", "invalid_credit_code",
			"unified social credit code %q must have 18 characters (GB 32100-2015), not %d", code, len(code))
	}
	for i := 0; i < 18; i++ {
		if strings.IndexByte(creditCodeChars, code[i]) < 0 {
			return Invalid("credit_code", "invalid_credit_code",
				"unified social credit code %q: character %d (%q) is not allowed (GB 32100-2015: digits and capitals except I, O, Z, S, V)", code, i+1, code[i])
		}
	}
	for i := 2; i < 8; i++ {
		if code[i] < '0' || code[i] > '9' {
			return Invalid("credit_code", "invalid_credit_code",
				"unified social credit code %q: positions 3–8 must be an administrative division code of digits", code)
		}
	}
	want, _ := CreditCodeCheckChar(code[:17])
	if code[17] != want {
		return Invalid("credit_code", "invalid_credit_code",
			"unified social credit code %q: check character is %q, want %q (GB 32100-2015)", code, code[17], want)
	}
	return nil
}
