package anonymizer

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// IsGeneratorSpec reports whether spec names a built-in hierarchy generator
// (interval:…, date, mask, mask:N, division, ordered:…) rather than a file.
func IsGeneratorSpec(spec string) bool {
	name, _, _ := strings.Cut(spec, ":")
	switch name {
	case "interval", "ordered":
		return strings.Contains(spec, ":")
	case "date", "mask", "division":
		return true
	}
	return false
}

// GenerateHierarchy builds a hierarchy for the given distinct values from a
// generator spec:
//
//	interval:5,10,20  numeric bands of width 5, then 10, then 20, then "*"
//	                  (each width must divide the next)
//	date              day → month (2024-03) → quarter (2024-Q1) → year → "*"
//	mask, mask:N      masks 1, 2, … (at most N) characters from the right, then "*"
//	division          GB/T 2260 codes: county → prefecture (XXXX00) → province (XX0000) → "*"
//	ordered:a,b,c     ordered categories merged pairwise (a-b, c), then in fours, … then "*"
//
// It returns an error naming the first value the generator cannot take.
func GenerateHierarchy(spec string, values []string) (*Hierarchy, error) {
	name, arg, _ := strings.Cut(spec, ":")
	vals := append([]string(nil), values...)
	sort.Strings(vals)
	var rows [][]string
	var err error
	switch name {
	case "interval":
		rows, err = genInterval(arg, vals)
	case "date":
		rows, err = genDate(vals)
	case "mask":
		rows, err = genMask(arg, vals)
	case "division":
		rows, err = genDivision(vals)
	case "ordered":
		rows, err = genOrdered(arg, vals)
	default:
		return nil, fmt.Errorf("hierarchy %q: unknown generator (want interval:…, date, mask, division, ordered:…)", spec)
	}
	if err != nil {
		return nil, fmt.Errorf("hierarchy %q: %w", spec, err)
	}
	return NewHierarchy(spec, rows)
}

func genInterval(arg string, vals []string) ([][]string, error) {
	var widths []float64
	for _, p := range strings.Split(arg, ",") {
		w, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || w <= 0 || math.IsInf(w, 0) {
			return nil, fmt.Errorf("width %q is not a positive number", p)
		}
		if n := len(widths); n > 0 {
			if r := w / widths[n-1]; r < 1 || r != math.Trunc(r) {
				return nil, fmt.Errorf("width %v is not a multiple of %v (bands must nest)", w, widths[n-1])
			}
		}
		widths = append(widths, w)
	}
	rows := make([][]string, 0, len(vals))
	for _, v := range vals {
		x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("value %q is not a number", v)
		}
		row := []string{v}
		for _, w := range widths {
			lo := math.Floor(x/w) * w
			row = append(row, bandLabel(lo, w))
		}
		rows = append(rows, append(row, "*"))
	}
	return rows, nil
}

// bandLabel names the band [lo, lo+w): "20-24" for integer bands, "[0.5, 1)" otherwise.
func bandLabel(lo, w float64) string {
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	if lo == math.Trunc(lo) && w == math.Trunc(w) {
		return f(lo) + "-" + f(lo+w-1)
	}
	return "[" + f(lo) + ", " + f(lo+w) + ")"
}

var dateLayouts = []string{"2006-01-02", "2006/01/02", "20060102", "2006-1-2", "2006/1/2", time.RFC3339, "2006-01-02 15:04:05"}

func genDate(vals []string) ([][]string, error) {
	rows := make([][]string, 0, len(vals))
	for _, v := range vals {
		var d time.Time
		var err error
		for _, l := range dateLayouts {
			if d, err = time.Parse(l, strings.TrimSpace(v)); err == nil {
				break
			}
		}
		if err != nil {
			return nil, fmt.Errorf("value %q is not a date (want YYYY-MM-DD)", v)
		}
		q := (int(d.Month())-1)/3 + 1
		rows = append(rows, []string{v, d.Format("2006-01"), fmt.Sprintf("%d-Q%d", d.Year(), q), strconv.Itoa(d.Year()), "*"})
	}
	return rows, nil
}

func genMask(arg string, vals []string) ([][]string, error) {
	longest := 0
	for _, v := range vals {
		longest = max(longest, len([]rune(v)))
	}
	limit := longest
	if arg != "" {
		n, err := strconv.Atoi(arg)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("mask length %q is not a positive integer", arg)
		}
		limit = min(n, longest)
	}
	rows := make([][]string, 0, len(vals))
	stars := strings.Repeat("*", max(limit, 1))
	var starts []int // byte offset of each rune of a value
	var ends []int
	var b []byte
	for _, v := range vals {
		if !utf8.ValidString(v) { // invalid bytes become U+FFFD in the labels
			r := []rune(v)
			row := []string{v}
			for i := 1; i < limit; i++ {
				m := min(i, len(r))
				row = append(row, string(r[:len(r)-m])+stars[:m])
			}
			rows = append(rows, append(row, "*"))
			continue
		}
		starts = starts[:0]
		for i := range v {
			starts = append(starts, i)
		}
		n := len(starts)
		// all the labels of a value in one string, each a substring of it
		b, ends = b[:0], ends[:0]
		for i := 1; i < limit; i++ {
			m := min(i, n)
			cut := 0
			if m < n {
				cut = starts[n-m]
			}
			b = append(append(b, v[:cut]...), stars[:m]...)
			ends = append(ends, len(b))
		}
		all := string(b)
		row := make([]string, 1, len(ends)+2)
		row[0] = v
		at := 0
		for _, e := range ends {
			row = append(row, all[at:e])
			at = e
		}
		rows = append(rows, append(row, "*"))
	}
	return rows, nil
}

func genDivision(vals []string) ([][]string, error) {
	rows := make([][]string, 0, len(vals))
	for _, v := range vals {
		s := strings.TrimSpace(v)
		if len(s) != 6 || strings.Trim(s, "0123456789") != "" {
			return nil, fmt.Errorf("value %q is not a six-digit GB/T 2260 division code", v)
		}
		rows = append(rows, []string{v, s[:4] + "00", s[:2] + "0000", "*"})
	}
	return rows, nil
}

func genOrdered(arg string, vals []string) ([][]string, error) {
	cats := strings.Split(arg, ",")
	pos := make(map[string]int, len(cats))
	for i, c := range cats {
		if _, dup := pos[c]; dup {
			return nil, fmt.Errorf("category %q listed twice", c)
		}
		pos[c] = i
	}
	for _, v := range vals {
		if _, ok := pos[v]; !ok {
			return nil, fmt.Errorf("value %q is not one of the ordered categories", v)
		}
	}
	rows := make([][]string, len(cats))
	for i, c := range cats {
		rows[i] = []string{c}
		for w := 2; w < len(cats); w *= 2 {
			lo := i / w * w
			hi := min(lo+w, len(cats)) - 1
			label := cats[lo]
			if hi > lo {
				label += "-" + cats[hi]
			}
			rows[i] = append(rows[i], label)
		}
		rows[i] = append(rows[i], "*")
	}
	return rows, nil
}
