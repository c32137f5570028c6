package anonymizer

import (
	"sort"
	"strings"
	"sync"
)

// Division is an administrative division of the People's Republic of China
// with its GB/T 2260 six-digit code.
type Division struct {
	Code string // six digits, e.g. "110108"
	Name string // e.g. "海淀区"
}

// Coverage of the embedded GB/T 2260 list (as published by the Ministry of
// Civil Affairs, 2023):
//
//   - every province-level division (31 provinces, autonomous regions and
//     municipalities, plus 71 Taiwan, 81 Hong Kong, 82 Macao);
//   - every prefecture-level division (cities, prefectures, leagues,
//     autonomous prefectures, and the "directly administered" groups 4190,
//     4290, 4690, 6590, 5001/5002);
//   - a sample of 177 county-level divisions (the districts of the
//     municipalities and of the provincial capitals and large cities), used by
//     the synthetic data generator.
//
// Resident identity numbers keep the address code they were issued with (GB
// 11643-1999 takes it from GB/T 2260 as it stood then), and codes change, so
// ValidAreaCode checks the province-level code against this list and only the
// shape of the rest; ValidLegacyResidentIDStrict also checks the prefecture.
const provinceList = `11 北京市
12 天津市
13 河北省
14 山西省
15 内蒙古自治区
21 辽宁省
22 吉林省
23 黑龙江省
31 上海市
32 江苏省
33 浙江省
34 安徽省
35 福建省
36 江西省
37 山东省
41 河南省
42 湖北省
43 湖南省
44 广东省
45 广西壮族自治区
46 海南省
50 重庆市
51 四川省
52 贵州省
53 云南省
54 西藏自治区
61 陕西省
62 甘肃省
63 青海省
64 宁夏回族自治区
65 新疆维吾尔自治区
71 台湾省
81 香港特别行政区
82 澳门特别行政区`

var divisionsOnce struct {
	sync.Once
	provinces     map[string]string // "11" -> name
	prefectures   map[string]string // "1101" -> name
	counties      []Division
	byCode        map[string]string // six-digit code -> name, for every listed division
	provinceShort []string          // 北京, 广东, 内蒙古…
}

func loadDivisions() {
	d := &divisionsOnce
	d.provinces = parseCodeList(provinceList)
	d.prefectures = parseCodeList(prefectureList)
	d.byCode = make(map[string]string)
	for c, n := range d.provinces {
		d.byCode[c+"0000"] = n
		d.provinceShort = append(d.provinceShort, shortProvinceName(n))
	}
	sort.Strings(d.provinceShort)
	for c, n := range d.prefectures {
		d.byCode[c+"00"] = n
	}
	for line := range strings.SplitSeq(countyList, "\n") {
		code, name, ok := strings.Cut(strings.TrimSpace(line), " ")
		if !ok {
			continue
		}
		d.counties = append(d.counties, Division{Code: code, Name: name})
		d.byCode[code] = name
	}
}

func parseCodeList(s string) map[string]string {
	m := make(map[string]string)
	for line := range strings.SplitSeq(s, "\n") {
		if code, name, ok := strings.Cut(strings.TrimSpace(line), " "); ok {
			m[code] = name
		}
	}
	return m
}

// ProvinceName returns the name of the province-level division whose
// two-digit code starts code (a code of 2 or more digits), and whether it
// exists. It is safe for concurrent use.
func ProvinceName(code string) (string, bool) {
	divisionsOnce.Do(loadDivisions)
	if len(code) < 2 {
		return "", false
	}
	n, ok := divisionsOnce.provinces[code[:2]]
	return n, ok
}

// PrefectureName returns the name of the prefecture-level division whose
// four-digit code starts code, and whether the list holds it.
func PrefectureName(code string) (string, bool) {
	divisionsOnce.Do(loadDivisions)
	if len(code) < 4 {
		return "", false
	}
	n, ok := divisionsOnce.prefectures[code[:4]]
	return n, ok
}

// DivisionName returns the name of the division with the six-digit code, if
// the embedded list holds it (see the coverage above).
func DivisionName(code string) (string, bool) {
	divisionsOnce.Do(loadDivisions)
	n, ok := divisionsOnce.byCode[code]
	return n, ok
}

// ValidAreaCode reports whether code is a plausible GB/T 2260 county-level
// code as used in resident identity numbers: six digits, a listed
// province-level code, and non-zero prefecture and county parts — or the
// code of a city without counties (CityWithoutCounties), which ends in 00.
func ValidAreaCode(code string) bool {
	if len(code) != 6 || !allDigits(code) {
		return false
	}
	if _, ok := ProvinceName(code); !ok {
		return false
	}
	if code[2:4] == "00" {
		return false
	}
	if code[4:6] == "00" {
		// only the cities without counties are their own address code
		_, ok := CityWithoutCounties(code)
		return ok
	}
	return true
}

// IsDivisionCode reports whether code is a six-digit GB/T 2260 code whose
// province-level part is valid and whose prefecture part is listed (or that
// is a province code itself, "110000"). It is what a column of division codes
// is recognised by.
func IsDivisionCode(code string) bool {
	if len(code) != 6 || !allDigits(code) {
		return false
	}
	if _, ok := ProvinceName(code); !ok {
		return false
	}
	if code[2:] == "0000" {
		return true
	}
	_, ok := PrefectureName(code)
	return ok
}

// Counties returns the county-level divisions of the embedded sample, in
// code order. The slice is shared: do not modify it.
func Counties() []Division {
	divisionsOnce.Do(loadDivisions)
	return divisionsOnce.counties
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func sortStrings(s []string) { sort.Strings(s) }
