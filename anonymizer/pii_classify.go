package anonymizer

import (
	"strings"
	"time"
)

// ParseDate parses a calendar date written as YYYY-MM-DD, YYYY/MM/DD,
// YYYY.MM.DD, YYYYMMDD or YYYY年M月D日 (month and day with one or two digits
// where a separator is used), optionally followed by a space and a time of
// day. It reports false for impossible dates (2023-02-29) and years outside
// 1800–2199.
func ParseDate(s string) (year, month, day int, ok bool) {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, ' '); i > 0 {
		s = s[:i]
	}
	if len(s) == 8 && allDigits(s) {
		year, month, day = atoiDigits(s[:4]), atoiDigits(s[4:6]), atoiDigits(s[6:])
	} else {
		if len(s) < 8 || !allDigits(s[:4]) {
			return 0, 0, 0, false
		}
		year = atoiDigits(s[:4])
		rest := s[4:]
		var sep1, sep2, tail string
		switch {
		case strings.HasPrefix(rest, "年"):
			sep1, sep2, tail = "年", "月", "日"
		case rest[0] == '-' || rest[0] == '/' || rest[0] == '.':
			sep1, sep2 = rest[:1], rest[:1]
		default:
			return 0, 0, 0, false
		}
		rest = rest[len(sep1):]
		var mm, dd string
		var found bool
		if mm, rest, found = strings.Cut(rest, sep2); !found {
			return 0, 0, 0, false
		}
		dd = rest
		if tail != "" {
			if dd, found = strings.CutSuffix(dd, tail); !found {
				return 0, 0, 0, false
			}
		}
		if len(mm) < 1 || len(mm) > 2 || len(dd) < 1 || len(dd) > 2 || !allDigits(mm) || !allDigits(dd) {
			return 0, 0, 0, false
		}
		month, day = atoiDigits(mm), atoiDigits(dd)
	}
	if year < 1800 || year > 2199 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month) {
		return 0, 0, 0, false
	}
	return year, month, day, true
}

// ValidBirthDate reports whether s is a date (see ParseDate) that can be a
// living person's date of birth: from 1900 to today.
func ValidBirthDate(s string) bool {
	y, m, d, ok := ParseDate(s)
	if !ok || y < 1900 {
		return false
	}
	if y < processStartYear {
		return true
	}
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Before(time.Now().UTC())
}

// IsSex reports whether s names a sex: 男, 女, 男性, 女性, M, F, male,
// female (any case).
func IsSex(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "男", "女", "男性", "女性", "m", "f", "male", "female":
		return true
	}
	return false
}

// ClassifyValue returns the type of a whole cell value, trying the validated
// direct identifiers first (resident ID, unified social credit code, mobile,
// landline, bank card, IMEI, legacy ID, e-mail, passport, travel permit,
// plate, IP, MAC, coordinates, address), then the quasi-identifiers (date,
// division code, sex, region) and last the shape of a personal name (which
// needs column context to count; see Detect). ok is false when s is none of
// them. It is safe for concurrent use.
func ClassifyValue(s string) (PIIType, bool) {
	s = strings.TrimSpace(s)
	if len(s) < 1 || len(s) > 200 {
		return "", false
	}
	if t, ok := classifyIdentifier(s); ok {
		return t, true
	}
	switch {
	case len(s) >= 8 && len(s) <= 19 && !(len(s) == 8 && allDigits(s)) && dateLike(s):
		return TypeDate, true
	case len(s) == 6 && IsDivisionCode(s):
		return TypeDivisionCode, true
	case IsSex(s):
		return TypeSex, true
	case LooksLikeRegion(s):
		return TypeRegion, true
	case LooksLikeChineseName(s):
		return TypeName, true
	}
	return "", false
}

func dateLike(s string) bool {
	_, _, _, ok := ParseDate(s)
	return ok
}

// classifyIdentifier recognises a whole token as a direct identifier.
func classifyIdentifier(s string) (PIIType, bool) {
	if strings.IndexByte(s, '@') > 0 {
		if ValidEmail(s) {
			return TypeEmail, true
		}
		return "", false
	}
	switch {
	case len(s) == 18 && ValidResidentID(s):
		return TypeResidentID, true
	case len(s) == 18 && ValidUSCC(s):
		return TypeUSCC, true
	}
	if len(s) >= 10 && len(s) <= 24 && strings.IndexFunc(s, func(r rune) bool { return !strings.ContainsRune("0123456789+-() ", r) }) < 0 {
		if t, ok := classifyNumber(s); ok {
			return t, true
		}
	}
	switch {
	case len(s) >= 8 && len(s) <= 11 && s[0] >= 'A' && s[0] <= 'Z':
		if ValidPassport(s) {
			return TypePassport, true
		}
		if ValidTravelPermit(s) {
			return TypeTravelPermit, true
		}
	case len(s) >= 9 && len(s) <= 16 && s[0] >= 0x80 && ValidPlate(s):
		return TypePlate, true
	}
	if strings.IndexByte(s, ':') >= 0 && ValidIPv6(s) {
		return TypeIPv6, true
	}
	if len(s) >= 7 && len(s) <= 15 && ValidIPv4(s) {
		return TypeIPv4, true
	}
	if ValidMAC(s) {
		return TypeMAC, true
	}
	if strings.IndexByte(s, ',') > 0 && ValidCoordinates(s) {
		return TypeCoordinates, true
	}
	if len(s) >= 18 && LooksLikeAddress(s) && addressStartsAt0(s) {
		return TypeAddress, true
	}
	return "", false
}

// classifyNumber recognises a phone or card number written with digits and
// + - ( ) or spaces. Of 15 digits valid both as a legacy resident ID and as
// an IMEI, an IMEI whose reporting body is not also a province code wins.
func classifyNumber(s string) (PIIType, bool) {
	if d, ok := phoneDigits(s); ok {
		if validMobileDigits(d) {
			return TypeMobile, true
		}
		if validLandlineDigits(d) {
			return TypeLandline, true
		}
	}
	d, ok := groupedDigits(s)
	if !ok {
		return "", false
	}
	switch len(d) {
	case 15:
		legacy, imei := ValidLegacyResidentIDStrict(d), ValidIMEI(d)
		switch {
		case legacy && imei:
			if _, province := ProvinceName(d); province {
				return TypeResidentIDLegacy, true
			}
			return TypeIMEI, true
		case imei:
			return TypeIMEI, true
		case legacy:
			return TypeResidentIDLegacy, true
		}
	case 16, 17, 18, 19:
		if ValidBankCard(d) {
			return TypeBankCard, true
		}
	}
	return "", false
}

// ValidLegacyResidentIDStrict is ValidLegacyResidentID with the prefecture
// part of the area code checked against the embedded GB/T 2260 list: a
// 15-digit number has no check digit, so the area code is what tells it from
// other 15-digit numbers.
func ValidLegacyResidentIDStrict(s string) bool {
	if !ValidLegacyResidentID(s) {
		return false
	}
	_, ok := PrefectureName(s)
	return ok
}

// addressStartsAt0 reports whether an address found in s starts at its
// beginning (a cell that is an address, not a sentence holding one).
func addressStartsAt0(s string) bool {
	for _, m := range scanAddresses(s, nil) {
		if m.Start == 0 {
			return true
		}
	}
	return false
}
