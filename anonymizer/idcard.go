package anonymizer

import (
	"time"
)

// residentIDWeights are the GB 11643-1999 weights W_i = 2^(17-i) mod 11 of
// the 17 body digits.
var residentIDWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// residentIDCheckChars maps (Σ a_i·W_i) mod 11 to the check character
// (ISO 7064 MOD 11-2; 10 is written X).
const residentIDCheckChars = "10X98765432"

// ResidentIDCheckChar returns the GB 11643-1999 check character for the 17
// body digits, or 0 when body is not 17 ASCII digits.
func ResidentIDCheckChar(body string) byte {
	if len(body) != 17 {
		return 0
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := body[i]
		if c < '0' || c > '9' {
			return 0
		}
		sum += int(c-'0') * residentIDWeights[i]
	}
	return residentIDCheckChars[sum%11]
}

// ValidResidentID reports whether s is a valid 18-character resident
// identity number (GB 11643-1999): a plausible GB/T 2260 area code (see
// ValidAreaCode), a real birth date not after today and not before 1880,
// a 3-digit sequence and the MOD 11-2 check character ('X' or 'x' for 10).
// It is safe for concurrent use.
func ValidResidentID(s string) bool {
	if len(s) != 18 {
		return false
	}
	check := s[17]
	if check == 'x' {
		check = 'X'
	}
	if ResidentIDCheckChar(s[:17]) != check {
		return false
	}
	return ValidAreaCode(s[:6]) && validBirthDate(s[6:14])
}

// ValidLegacyResidentID reports whether s is a valid 15-digit resident
// identity number of the first generation (before 1999): area code, a real
// birth date 19YYMMDD, a 3-digit sequence; it has no check character.
func ValidLegacyResidentID(s string) bool {
	if len(s) != 15 || !allDigits(s) {
		return false
	}
	return ValidAreaCode(s[:6]) && validBirthDate("19"+s[6:12])
}

// ResidentID is what a resident identity number tells about its holder.
type ResidentID struct {
	Area  string    // GB/T 2260 code of the place of registration
	Birth time.Time // date of birth (UTC midnight)
	Male  bool      // the sequence code is odd for men, even for women
}

// ParseResidentID decodes a valid 18- or 15-character resident identity
// number; ok is false when s is not valid.
func ParseResidentID(s string) (id ResidentID, ok bool) {
	var date string
	var seq byte
	switch {
	case ValidResidentID(s):
		date, seq = s[6:14], s[16]
	case ValidLegacyResidentID(s):
		date, seq = "19"+s[6:12], s[14]
	default:
		return ResidentID{}, false
	}
	t, err := time.Parse("20060102", date)
	if err != nil {
		return ResidentID{}, false
	}
	return ResidentID{Area: s[:6], Birth: t, Male: (seq-'0')%2 == 1}, true
}

// validBirthDate reports whether d (YYYYMMDD) is a real calendar date between
// 1880-01-01 and today.
func validBirthDate(d string) bool {
	if len(d) != 8 || !allDigits(d) {
		return false
	}
	y := atoiDigits(d[:4])
	m := atoiDigits(d[4:6])
	day := atoiDigits(d[6:8])
	if y < 1880 || m < 1 || m > 12 || day < 1 || day > daysIn(y, m) {
		return false
	}
	if y < processStartYear {
		return true // surely not in the future; spares a clock read per value
	}
	return d <= time.Now().UTC().Format("20060102")
}

// processStartYear is the UTC year when the process started.
var processStartYear = time.Now().UTC().Year()

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

func atoiDigits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
