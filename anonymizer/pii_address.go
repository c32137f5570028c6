package anonymizer

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// adminMarkers end the names of administrative divisions.
var adminMarkers = []string{"省", "市", "区", "县", "自治州", "盟", "旗", "镇", "乡", "街道"}

// streetMarkers name a road, a building or a unit: an address that reaches
// one of them locates a household.
var streetMarkers = []string{"路", "街", "大道", "巷", "弄", "胡同", "号", "栋", "幢", "单元", "室", "小区", "村", "组", "楼"}

// LooksLikeAddress reports whether s is a postal address down to road or
// building: Han text of 6 to 60 characters that names an administrative
// division (a marker such as 省/市/区/县/镇, or a province name) and a
// street-level part (路/街/巷/号/栋/室/小区/村…), with a house number or
// the name of a road before it.
func LooksLikeAddress(s string) bool {
	n := utf8.RuneCountInString(s)
	if n < 6 || n > 60 {
		return false
	}
	han := 0
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			han++
		}
	}
	if han*2 < n {
		return false
	}
	return hasAdminPart(s) && hasStreetPart(s)
}

func hasAdminPart(s string) bool {
	for _, m := range adminMarkers {
		if i := strings.Index(s, m); i > 0 {
			return true
		}
	}
	return startsWithProvince(s)
}

func hasStreetPart(s string) bool {
	for _, m := range streetMarkers {
		if i := strings.Index(s, m); i > 0 {
			return true
		}
	}
	return false
}

// startsWithProvince reports whether s starts with the short name of a
// province-level division (北京, 广东, 内蒙古…).
func startsWithProvince(s string) bool {
	for _, p := range provinceShortNames() {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

func provinceShortNames() []string {
	divisionsOnce.Do(loadDivisions)
	return divisionsOnce.provinceShort
}

// shortProvinceName drops the administrative suffix of a province name.
func shortProvinceName(name string) string {
	for _, suf := range []string{"维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市"} {
		if strings.HasSuffix(name, suf) {
			return strings.TrimSuffix(name, suf)
		}
	}
	return name
}

// LooksLikeRegion reports whether s is the name of an administrative division
// without a street part: a province, prefecture or county name (全称 or a
// name ending in 省/市/区/县/州/盟/旗), 2 to 12 Han characters.
func LooksLikeRegion(s string) bool {
	last, _ := utf8.DecodeLastRuneInString(s)
	if !strings.ContainsRune("省市区县州盟旗", last) && !isProvinceShortName(s) {
		return false
	}
	n := utf8.RuneCountInString(s)
	if n < 2 || n > 12 {
		return false
	}
	for _, r := range s {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	if hasStreetPart(s) {
		return false
	}
	if isProvinceShortName(s) {
		return true
	}
	for _, m := range []string{"省", "市", "区", "县", "自治州", "盟", "旗", "地区"} {
		if strings.HasSuffix(s, m) && n > utf8.RuneCountInString(m) {
			return true
		}
	}
	return false
}

func isProvinceShortName(s string) bool {
	if len(s) < 6 || len(s) > 9 {
		return false
	}
	for _, p := range provinceShortNames() {
		if s == p {
			return true
		}
	}
	return false
}

// addressSpanAround returns the byte span of an address in text that ends
// with the street-level marker at [i, j): it extends back over Han
// characters (up to 40) and forward over a house number and unit
// ("88号", "3栋2单元501室"). ok is false when the span is not an address.
func addressSpanAround(text string, i, j int) (start, end int, ok bool) {
	start = i
	for k := 0; k < 40 && start > 0; k++ {
		r, size := utf8.DecodeLastRuneInString(text[:start])
		if !(unicode.Is(unicode.Han, r) || r >= '0' && r <= '9' || r == '-') || strings.ContainsRune("在于住至到往是为即：:，,。；;、 ", r) {
			break
		}
		start -= size
	}
	end = j
	for end < len(text) {
		r, size := utf8.DecodeRuneInString(text[end:])
		if r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r == '-' || strings.ContainsRune("号栋幢单元室楼层户弄", r) {
			end += size
			continue
		}
		break
	}
	return start, end, LooksLikeAddress(text[start:end])
}
