package anonymizer

import (
	"strconv"
	"strings"
)

// parseDay reads a raw date — 1990-03-07, 1990/3/7, 1990.03.07, 19900307,
// 1990年3月7日 — as yyyymmdd.
func parseDay(v string) (int, bool) {
	y, m, d, n := dateParts(v)
	if n != 3 || m < 1 || m > 12 || d < 1 || d > 31 {
		return 0, false
	}
	return y*10000 + m*100 + d, true
}

// dateParts splits v into up to three numbers (year, month, day) and says
// how many it found; n is 0 when v is not a date of that form.
func dateParts(v string) (y, m, d, n int) {
	v = strings.TrimSpace(v)
	if len(v) == 8 && strings.Trim(v, "0123456789") == "" {
		y, _ = strconv.Atoi(v[:4])
		m, _ = strconv.Atoi(v[4:6])
		d, _ = strconv.Atoi(v[6:])
		return y, m, d, 3
	}
	v = strings.TrimSuffix(v, "日")
	v = strings.NewReplacer("年", "-", "月", "-", "/", "-", ".", "-").Replace(v)
	v = strings.TrimSuffix(v, "-")
	parts := strings.Split(v, "-")
	if len(parts) > 3 || len(parts[0]) != 4 {
		return 0, 0, 0, 0
	}
	nums := make([]int, len(parts))
	for i, p := range parts {
		x, err := strconv.Atoi(p)
		if err != nil || p == "" || len(p) > 4 || (i > 0 && len(p) > 2) {
			return 0, 0, 0, 0
		}
		nums[i] = x
	}
	if nums[0] < 1000 || nums[0] > 2999 {
		return 0, 0, 0, 0
	}
	nums = append(nums, 0, 0)
	return nums[0], nums[1], nums[2], len(parts)
}

// parsePeriod reads a generalized date: a year ("1990", "1990年"), a month
// ("1990-03", "1990/3", "1990年3月"), a quarter ("1990-Q1", "1990Q1") or a
// day, into inclusive yyyymmdd bounds.
func parsePeriod(v string, g *generalized) bool {
	v = strings.TrimSpace(v)
	if i := strings.IndexAny(v, "Qq"); i == 4 || i == 5 {
		y, err1 := strconv.Atoi(v[:4])
		q, err2 := strconv.Atoi(v[i+1:])
		if err1 != nil || err2 != nil || q < 1 || q > 4 || (i == 5 && v[4] != '-') {
			return false
		}
		g.from, g.to = y*10000+(q*3-2)*100+1, y*10000+(q*3)*100+31
		return true
	}
	if len(v) == 8 && strings.Trim(v, "0123456789") == "" {
		return false // 8 digits: a number as likely as a date; matched exactly
	}
	y, m, d, n := dateParts(v)
	switch {
	case n == 1:
		g.from, g.to = y*10000+101, y*10000+1231
	case n == 2 && m >= 1 && m <= 12:
		g.from, g.to = y*10000+m*100+1, y*10000+m*100+31
	case n == 3 && m >= 1 && m <= 12 && d >= 1 && d <= 31:
		g.from, g.to = y*10000+m*100+d, y*10000+m*100+d
	default:
		return false
	}
	return true
}
