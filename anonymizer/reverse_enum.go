package anonymizer

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// defaultEnumerationBudget caps the candidates hashed per attacked column.
const defaultEnumerationBudget = 1_000_000

// enumerate shows what an attacker without the raw table restores from a
// hashed column: the identifier spaces the raw values fall in are small
// enough to hash whole — a block of 10^4 mobile numbers (same first seven
// digits), or the resident IDs of one area and birth year (366 days × 1,000
// sequence numbers, check character computed). The largest spaces are
// enumerated first, within budget candidates. It returns how many distinct
// release values were restored, how many candidates were hashed, and a
// description of the space; 0, 0, "" when the raw values are of neither kind.
func enumerate(t recipe, values []string, ri *releaseIndex, budget int) (int, int, string) {
	if budget <= 0 {
		budget = defaultEnumerationBudget
	}
	mobiles, ids := map[string]int{}, map[string]int{}
	for _, v := range values {
		switch {
		case isMobileShape(v):
			mobiles[v[:7]]++
		case isResidentIDShape(v):
			ids[v[:10]]++ // area code and birth year
		}
	}
	var (
		seen       = make([]bool, len(ri.col.Dict))
		restored   int
		candidates int
		groups     int
	)
	try := func(c string) {
		candidates++
		if code, ok := ri.find(t.apply(c)); ok && !seen[code] {
			seen[code] = true
			restored++
		}
	}
	if len(mobiles) >= len(ids) && len(mobiles) > 0 {
		for _, block := range byCount(mobiles) {
			if candidates+10_000 > budget {
				break
			}
			groups++
			num := []byte(block + "0000")
			for n := range 10_000 {
				num[7], num[8], num[9], num[10] = byte('0'+n/1000), byte('0'+n/100%10), byte('0'+n/10%10), byte('0'+n%10)
				try(string(num))
			}
		}
		if groups == 0 {
			return 0, 0, ""
		}
		return restored, candidates, fmt.Sprintf("%d block(s) of 10^4 mobile numbers", groups)
	}
	if len(ids) == 0 {
		return 0, 0, ""
	}
	buf := make([]byte, 18)
	for _, g := range byCount(ids) {
		year := enumAtoi(g[6:10])
		start := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
		days := start.AddDate(1, 0, 0).Sub(start).Hours() / 24
		if candidates+int(days)*1000 > budget {
			break
		}
		groups++
		copy(buf, g)
		for d := start; d.Year() == year; d = d.AddDate(0, 0, 1) {
			copy(buf[10:14], d.Format("0102"))
			for seq := range 1000 {
				buf[14], buf[15], buf[16] = byte('0'+seq/100), byte('0'+seq/10%10), byte('0'+seq%10)
				buf[17] = ResidentIDCheckChar(string(buf[:17]))
				try(string(buf))
			}
		}
	}
	if groups == 0 {
		return 0, 0, ""
	}
	return restored, candidates, fmt.Sprintf("the resident IDs of %d area-and-birth-year group(s)", groups)
}

// byCount returns the keys of m, most frequent first (ties by key).
func byCount(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	return keys
}

func isMobileShape(v string) bool {
	return len(v) == 11 && v[0] == '1' && v[1] >= '3' && v[1] <= '9' && strings.Trim(v, "0123456789") == ""
}

func isResidentIDShape(v string) bool {
	return len(v) == 18 && strings.Trim(v[:17], "0123456789") == "" && strings.ContainsRune("0123456789Xx", rune(v[17])) &&
		v[6] >= '1' && v[6] <= '2'
}

func enumAtoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
