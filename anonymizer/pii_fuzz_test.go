package anonymizer

import (
	"testing"
	"unicode/utf8"
)

// typeValidators check a match of a validated type on its own.
var typeValidators = map[PIIType]func(string) bool{
	TypeResidentID:   ValidResidentID,
	TypeUSCC:         ValidUSCC,
	TypeBankCard:     ValidBankCard,
	TypeIMEI:         ValidIMEI,
	TypeMobile:       ValidMobile,
	TypeLandline:     ValidLandline,
	TypeEmail:        ValidEmail,
	TypePlate:        ValidPlate,
	TypePassport:     ValidPassport,
	TypeTravelPermit: ValidTravelPermit,
	TypeIPv4:         ValidIPv4,
	TypeIPv6:         ValidIPv6,
	TypeMAC:          ValidMAC,
	TypeCoordinates:  func(s string) bool { return ValidCoordinates(stripSpaceAfterComma(s)) },
	TypeAddress:      LooksLikeAddress,
	TypeBirthDate:    ValidBirthDate,
	TypeName:         LooksLikeChineseName,
}

func stripSpaceAfterComma(s string) string {
	out := []rune{}
	for _, r := range s {
		if r == '，' {
			r = ','
		}
		out = append(out, r)
	}
	return string(out)
}

// FuzzFindIdentifiers scans arbitrary text. Invariants: no panic; matches
// are in order, do not overlap, lie within the text on character
// boundaries (of valid UTF-8), carry the text they cover, and each passes its type's own
// validator (the scanner never reports what the validator refuses).
func FuzzFindIdentifiers(f *testing.F) {
	for _, s := range []string{
		"患者张伟，身份证号11010519491231002X，手机138 0013 8000，住址：北京市朝阳区建国路88号3栋501室。",
		"联系邮箱zhang.san@example.com。座机(010)88886666，或+86-755-8888 6666",
		"卡号6222 0212 3456 7890 128，设备IMEI 356938035643809，车牌京A·12345，新能源粤BD12345",
		"IP 192.168.1.10:8080 与 fe80::1ff:fe23:4567:890a，MAC 00:1A:2B:3C:4D:5E，位置39.9042,116.4074",
		"统一社会信用代码91350100M000100Y43；护照E12345678；港澳通行证C12345678；出生于1990年3月7日",
		"", "京", "出生：", "姓名：", "1", "+86", "((((", "@@@", "号号号", "\xff\xfe",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		ms := FindIdentifiers(text)
		end := 0
		for _, m := range ms {
			if m.Start < end || m.End <= m.Start || m.End > len(text) {
				t.Fatalf("match %+v out of order, overlapping or out of bounds (prev end %d, len %d)", m, end, len(text))
			}
			end = m.End
			if m.Value != text[m.Start:m.End] {
				t.Fatalf("match %+v does not carry its text %q", m, text[m.Start:m.End])
			}
			if utf8.ValidString(text) && !utf8.RuneStart(text[m.Start]) || utf8.ValidString(text) && (m.End < len(text) && !utf8.RuneStart(text[m.End])) {
				t.Fatalf("match %+v cuts a character", m)
			}
			if v := typeValidators[m.Type]; v != nil && !v(m.Value) {
				t.Fatalf("match %+v fails the %s validator", m, m.Type)
			}
		}
	})
}

// FuzzClassifyValue classifies arbitrary values. Invariants: no panic; a
// value classified as a validated type passes that type's validator.
func FuzzClassifyValue(f *testing.F) {
	for _, s := range []string{"11010519491231002X", "13800138000", "6222021234567890128", "356938035643809",
		"91350100M000100Y43", "京A12345", "1990-03-07", "440305", "男", "张伟", "x@y.cn", "::1", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		typ, ok := ClassifyValue(s)
		if !ok {
			return
		}
		if v := typeValidators[typ]; v != nil && typ != TypeName && typ != TypeBirthDate && !v(trimASCIISpace(s)) {
			t.Fatalf("%q classified %s but fails its validator", s, typ)
		}
	})
}

func trimASCIISpace(s string) string {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\n' || s[0] == '\r' || s[0] == '\v' || s[0] == '\f') {
		s = s[1:]
	}
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t' || s[len(s)-1] == '\n' || s[len(s)-1] == '\r' || s[len(s)-1] == '\v' || s[len(s)-1] == '\f') {
		s = s[:len(s)-1]
	}
	return s
}
