package anonymizer

import (
	"strings"
	"unicode/utf8"
)

// plateProvinces are the one-character province abbreviations that start a
// mainland vehicle plate (GA 36-2018).
const plateProvinces = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"

func isPlateProvince(r rune) bool { return r >= 0x4E00 && strings.ContainsRune(plateProvinces, r) }

// ValidPlate reports whether s is a mainland vehicle plate (GA 36-2018): a
// province abbreviation, an issuing-authority letter (not I or O), an
// optional '·' or space, then either five letters/digits (an ordinary plate,
// optionally ending in 挂, 学, 警, 港 or 澳 in place of the last one) or a
// new-energy number: D/F plus five characters of which the last four are
// digits (small vehicles), or five digits plus D/F (large vehicles).
func ValidPlate(s string) bool {
	n := plateLen(s)
	return n > 0 && n == len(s)
}

// plateLen returns the byte length of the plate at the start of s, or 0.
func plateLen(s string) int {
	r, size := utf8.DecodeRuneInString(s)
	if !isPlateProvince(r) || len(s) < size+6 {
		return 0
	}
	i := size
	if !isUpperNoIO(s[i]) {
		return 0
	}
	i++
	if strings.HasPrefix(s[i:], "·") {
		i += len("·")
	} else if s[i] == ' ' {
		i++
	}
	rest := s[i:]
	alnum := 0
	for alnum < len(rest) && alnum < 7 && (isUpperNoIO(rest[alnum]) || rest[alnum] >= '0' && rest[alnum] <= '9') {
		alnum++
	}
	body := rest[:alnum]
	switch {
	case alnum == 6 && newEnergyBody(body):
		return i + 6
	case alnum == 5 && countLetters(body) <= 2:
		return i + 5
	case alnum == 4:
		for _, suffix := range []string{"挂", "学", "警", "港", "澳"} {
			if strings.HasPrefix(rest[4:], suffix) {
				return i + 4 + len(suffix)
			}
		}
	}
	return 0
}

// newEnergyBody reports whether the six characters after the authority
// letter form a new-energy plate number.
func newEnergyBody(b string) bool {
	if (b[0] == 'D' || b[0] == 'F') && allDigits(b[2:]) && (isUpperNoIO(b[1]) || b[1] >= '0' && b[1] <= '9') {
		return true
	}
	return allDigits(b[:5]) && (b[5] == 'D' || b[5] == 'F')
}

// ValidPassport reports whether s is a passport number of the People's
// Republic of China: E followed by 8 digits or by a letter (not I or O) and 7
// digits (ordinary electronic passports), G followed by 8 digits (ordinary
// passports before 2012), or D, S or P followed by 7 digits (diplomatic,
// service and official passports).
func ValidPassport(s string) bool {
	switch len(s) {
	case 9:
		if (s[0] == 'E' || s[0] == 'G') && allDigits(s[1:]) {
			return true
		}
		return s[0] == 'E' && isUpperNoIO(s[1]) && allDigits(s[2:])
	case 8:
		return (s[0] == 'D' || s[0] == 'S' || s[0] == 'P') && allDigits(s[1:])
	}
	return false
}

// ValidTravelPermit reports whether s is a Hong Kong, Macao or Taiwan travel
// permit number: the mainland residents' permit to Hong Kong and Macao (C
// and 8 digits, or C, a letter and 7 digits), the Hong Kong and Macao
// residents' home-return permit (H or M and 8 or 10 digits) or the mainland
// residents' permit to Taiwan (L and 8 digits). The Taiwan residents' permit
// (8 bare digits) is recognised only through column context.
func ValidTravelPermit(s string) bool {
	if len(s) < 9 {
		return false
	}
	switch s[0] {
	case 'C':
		return len(s) == 9 && (allDigits(s[1:]) || isUpperNoIO(s[1]) && allDigits(s[2:]))
	case 'H', 'M':
		return (len(s) == 9 || len(s) == 11) && allDigits(s[1:])
	case 'L':
		return len(s) == 9 && allDigits(s[1:])
	}
	return false
}

func countLetters(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if isLetter(s[i]) {
			n++
		}
	}
	return n
}
