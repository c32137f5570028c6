package anonymizer

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// idIndex holds every raw value of the raw table's identifying columns, so
// that release cells can be matched against them whole, inside text, or
// through a mask (Tianjin Art. 29: no specific provider may be identifiable).
type idIndex struct {
	values map[string]string // identifier value -> raw column
	byLen  map[int][]string  // rune length -> values
	lens   []int             // distinct rune lengths, ascending
	masks  maskCache
	// width is the rune length shared by (nearly) all values of a raw
	// identifying column, by column name: a shorter release value in that
	// column is a truncation, checked as if the rest were masked.
	width map[string]int
}

// newIDIndex indexes the distinct values of the raw identifying columns.
// Values too weak to identify alone (one character, or fewer than six
// digits) are left out, so that counts and codes do not match by chance.
func newIDIndex(raw *Table, columns []int) *idIndex {
	total := 0
	for _, c := range columns {
		total += len(raw.Columns[c].Dict)
	}
	ix := &idIndex{values: make(map[string]string, total), byLen: make(map[int][]string), width: map[string]int{}}
	for _, c := range columns {
		col := raw.Columns[c]
		if w := commonWidth(col); w > 0 {
			ix.width[col.Name] = w
		}
		for _, v := range col.Dict {
			v = strings.TrimSpace(v)
			if weakIdentifier(v) {
				continue
			}
			if _, dup := ix.values[v]; dup {
				continue
			}
			ix.values[v] = col.Name
			n := utf8.RuneCountInString(v)
			ix.byLen[n] = append(ix.byLen[n], v)
		}
	}
	for n := range ix.byLen {
		ix.lens = append(ix.lens, n)
	}
	sort.Ints(ix.lens)
	ix.masks = maskCache{ix: ix, positional: map[string]map[string]*maskBucket{}, glob: map[[2]int]map[string]*maskBucket{}}
	return ix
}

// commonWidth returns the rune length of at least 90 % of the column's
// distinct values, or 0 when lengths vary (names, e-mail).
func commonWidth(col *Column) int {
	byWidth := map[int]int{}
	for _, v := range col.Dict {
		byWidth[utf8.RuneCountInString(strings.TrimSpace(v))]++
	}
	for w, n := range byWidth {
		if w >= 6 && n*10 >= len(col.Dict)*9 {
			return w
		}
	}
	return 0
}

func weakIdentifier(v string) bool {
	n := utf8.RuneCountInString(v)
	if n < 2 || isMissing(v) {
		return true
	}
	return n < 6 && strings.Trim(v, "0123456789") == ""
}

// isMissing reports whether v is an empty or suppressed cell.
func isMissing(v string) bool {
	switch strings.TrimSpace(v) {
	case "", "*", "-", "NULL", "null", "N/A", "n/a", "NA":
		return true
	}
	return false
}

// findInText returns the first raw identifier that occurs inside v, or "".
func (ix *idIndex) findInText(v string) string {
	offs := make([]int, 0, len(v)+1)
	for i := range v {
		offs = append(offs, i)
	}
	offs = append(offs, len(v))
	runes := len(offs) - 1
	for _, n := range ix.lens {
		if n >= runes {
			break
		}
		for i := 0; i+n <= runes; i++ {
			if _, ok := ix.values[v[offs[i]:offs[i+n]]]; ok {
				return v[offs[i]:offs[i+n]]
			}
		}
	}
	return ""
}

// texty reports whether v may hold identifiers inside other text: at least
// four characters, at least one outside [0-9A-Za-z] (digests and plain
// numbers are not scanned for substrings).
func texty(v string) bool {
	if utf8.RuneCountInString(v) < 4 {
		return false
	}
	for _, r := range v {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return true
		}
	}
	return false
}

// columnHits gathers what check a found in one release column.
type columnHits struct {
	exact, text, masked, detected       int // distinct values
	exactRows, textRows, maskedRows     int
	detectedRows                        int
	exactEx, textEx, maskedEx, detectEx string
	maskedWhy                           string
	detectType                          PIIType
}

// checkIdentifiers is check a: every distinct value of every release column
// is matched against the raw identifiers (whole, inside text, through a
// mask) and run through detection (Tianjin Art. 29).
func checkIdentifiers(res *GateResult, release *Table, ix *idIndex, mode Mode) {
	for _, col := range release.Columns {
		counts := codeCounts(col)
		var h columnHits
		width := ix.width[col.Name]
		for code, v := range col.Dict {
			v = strings.TrimSpace(v)
			rows := counts[code]
			if rows == 0 || isMissing(v) {
				continue
			}
			if _, ok := ix.values[v]; ok {
				h.exact++
				h.exactRows += rows
				if h.exactEx == "" {
					h.exactEx = v
				}
				continue
			}
			masked := v
			if n := utf8.RuneCountInString(v); width > 0 && n < width && !hasMask(v) {
				masked = v + strings.Repeat("*", width-n) // truncated: the rest is hidden
			}
			if hasMask(masked) {
				if why := ix.masks.tooLittle(masked, mode.minClass()); why != "" {
					h.masked++
					h.maskedRows += rows
					if h.maskedEx == "" {
						h.maskedEx, h.maskedWhy = masked, why
					}
				}
				continue
			}
			if texty(v) {
				if s := ix.findInText(v); s != "" {
					h.text++
					h.textRows += rows
					if h.textEx == "" {
						h.textEx = s
					}
					continue
				}
			}
			if typ, m := detectStrong(v); typ != "" {
				h.detected++
				h.detectedRows += rows
				if h.detectEx == "" {
					h.detectEx, h.detectType = m, typ
				}
			}
		}
		h.report(res, col.Name)
	}
}

func (h *columnHits) report(res *GateResult, column string) {
	if h.exact > 0 {
		res.fail(CheckIdentifier, column, articleTianjin29, h.exactRows,
			"%d raw identifier values appear whole in %d release rows (e.g. %s); Tianjin Art. 29: the provider is identifiable",
			h.exact, h.exactRows, displayMask(h.exactEx))
	}
	if h.text > 0 {
		res.fail(CheckIdentifier, column, articleTianjin29, h.textRows,
			"%d release values contain a raw identifier inside their text, in %d rows (e.g. %s); Tianjin Art. 29: the provider is identifiable",
			h.text, h.textRows, displayMask(h.textEx))
	}
	if h.masked > 0 {
		res.fail(CheckIdentifier, column, articleTianjin29, h.maskedRows,
			"%d masked values still identify, in %d rows (e.g. %s: %s); Tianjin Art. 29: masked too little",
			h.masked, h.maskedRows, h.maskedEx, h.maskedWhy)
	}
	if h.detected > 0 {
		res.fail(CheckIdentifier, column, articleTianjin29, h.detectedRows,
			"%d values are valid %s identifiers, in %d rows (e.g. %s); Tianjin Art. 29: the provider is identifiable",
			h.detected, h.detectType, h.detectedRows, displayMask(h.detectEx))
	}
}

// codeCounts returns the number of rows holding each dictionary code.
func codeCounts(col *Column) []int {
	counts := make([]int, len(col.Dict))
	for _, c := range col.Codes {
		counts[c]++
	}
	return counts
}

// displayMask shows enough of an identifier to find it in the data without
// printing it whole in a report: the first three and last two characters.
func displayMask(v string) string {
	r := []rune(v)
	switch {
	case len(r) <= 2:
		return strings.Repeat("*", len(r))
	case len(r) <= 5:
		return string(r[:1]) + strings.Repeat("*", len(r)-1)
	}
	return string(r[:3]) + strings.Repeat("*", len(r)-5) + string(r[len(r)-2:])
}
