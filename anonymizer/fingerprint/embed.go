package fingerprint

import (
	"encoding/hex"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/shujiao/shujiao/anonymizer"
)

// Stats is what marking one copy changed, with the loss each method costs.
type Stats struct {
	Rows int `json:"rows"`
	// PseudonymCells is the number of pseudonym cells replaced by the copy's
	// own pseudonyms: no loss within the copy (equal values stay equal,
	// distinct stay distinct); copies cannot be joined with each other.
	PseudonymCells int `json:"pseudonym_cells"`
	// Digits is one entry per marked numeric column.
	Digits []DigitStats `json:"digits"`
	// Shuffled: the rows are in a keyed order (no loss).
	Shuffled bool `json:"shuffled"`
}

// DigitStats is the distortion of one numeric column.
type DigitStats struct {
	Column string `json:"column"`
	// Cells carrying the digit, and of them Changed (a shift of 0 keeps one).
	Cells   int `json:"cells"`
	Changed int `json:"changed"`
	// Buckets is the number of distinct marked buckets (the marks a full
	// copy carries in this column).
	Buckets int `json:"buckets"`
	// MeanAbsChange and MaxAbsChange are in the column's unit (at most 9 ×
	// 10^Exp, below the declared precision); MeanRelChange is the mean of
	// |change| / |value| over the cells carrying the digit.
	MeanAbsChange float64 `json:"mean_abs_change"`
	MaxAbsChange  float64 `json:"max_abs_change"`
	MeanRelChange float64 `json:"mean_rel_change"`
}

// Embed returns the copy of release marked with key (an OrderKey) as plan
// says, and what the marks changed. Only the plan's pseudonym columns
// (by a bijection of their values), its insensitive numeric columns
// (below their declared precision) and the row order change; quasi-identifiers,
// sensitive values and every suppressed or missing cell ("" or "*") are
// copied as they are. The same release, plan and key give the same copy.
// It returns ErrShortKey for a short key and an error naming a plan column
// the release lacks.
func Embed(release *anonymizer.Table, plan Plan, key []byte) (*anonymizer.Table, Stats, error) {
	if len(key) < KeySize {
		return nil, Stats{}, ErrShortKey
	}
	k := newKeyed(key)
	dicts := make([][]string, len(release.Columns))
	for i, c := range release.Columns {
		dicts[i] = c.Dict
	}
	st := Stats{Rows: release.Rows(), Digits: []DigitStats{}, Shuffled: plan.Shuffle}
	for _, name := range plan.Pseudonyms {
		i := release.ColumnIndex(name)
		if i < 0 {
			return nil, Stats{}, fmt.Errorf("fingerprint: pseudonym column %q: not in the release", name)
		}
		c := release.Columns[i]
		d := make([]string, len(c.Dict))
		for j, v := range c.Dict {
			d[j] = v
			if !missing(v) {
				d[j] = k.pseudonym(name, v)
			}
		}
		dicts[i] = d
		for _, code := range c.Codes {
			if !missing(c.Dict[code]) {
				st.PseudonymCells++
			}
		}
	}
	for _, dc := range plan.Digits {
		i := release.ColumnIndex(dc.Column)
		if i < 0 {
			return nil, Stats{}, fmt.Errorf("fingerprint: numeric column %q: not in the release", dc.Column)
		}
		var ds DigitStats
		dicts[i], ds = k.setDigits(release.Columns[i], dc)
		st.Digits = append(st.Digits, ds)
	}

	order := make([]int, release.Rows())
	for r := range order {
		order[r] = r
	}
	if plan.Shuffle {
		var seed [32]byte
		copy(seed[:], k.digest(labelRow))
		rand.New(rand.NewChaCha8(seed)).Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	}
	// the copy is the release's rows in order with the rewritten
	// dictionaries: built column by column from the codes (the same table
	// as appending its rows one by one)
	out, err := anonymizer.Remap(release, dicts, order)
	if err != nil {
		return nil, Stats{}, fmt.Errorf("fingerprint: %w", err)
	}
	return out, st, nil
}

// missing reports a cell the release left empty or suppressed.
func missing(v string) bool {
	v = strings.TrimSpace(v)
	return v == "" || strings.Trim(v, "*") == ""
}

// pseudonym is the copy's keyed pseudonym of release value v of column col:
// hex, as long as v when v is hex of 16 to 64 digits (its case kept), else
// 64 digits — the form the gate accepts as a keyed digest.
func (k *keyed) pseudonym(col, v string) string {
	t := strings.TrimSpace(v)
	h := hex.EncodeToString(k.digest(labelPseudonym, col, t))
	if n := len(t); n >= 16 && n <= 64 && isHex(t) {
		h = h[:n]
		if strings.ContainsAny(t, "ABCDEF") && !strings.ContainsAny(t, "abcdef") {
			h = strings.ToUpper(h)
		}
	}
	return h
}

// pseudonymPrefix is the first 64 bits of the copy's pseudonym of v, as
// prefix64 reads them back from its hex.
func (k *keyed) pseudonymPrefix(col, v string) uint64 {
	return k.uint64(labelPseudonym, col, strings.TrimSpace(v))
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// digitOf is the copy's digit for bucket b of column col.
func (k *keyed) digitOf(col, b string) int {
	return int(k.uint64(labelDigit, col, b) % 10)
}

// setDigits returns col's dictionary with the digit at 10^dc.Exp of every
// markable value set to the copy's digit of its bucket. The column is
// insensitive: merging values in it changes no class, k, l or t.
func (k *keyed) setDigits(col *anonymizer.Column, dc DigitColumn) ([]string, DigitStats) {
	ds := DigitStats{Column: dc.Column}
	d := make([]string, len(col.Dict))
	change := make([]float64, len(col.Dict)) // |change| per code, -1 when unmarked
	rel := make([]float64, len(col.Dict))
	buckets := map[string]bool{}
	unit := math.Pow10(dc.Exp)
	for j, v := range col.Dict {
		d[j], change[j] = v, -1
		n, ok := parseNumber(v)
		if !ok || n.index(dc.Exp) < 0 {
			continue
		}
		b := n.bucket(dc.Exp)
		if b == "" {
			continue
		}
		buckets[b] = true
		old, nd := n.digit(dc.Exp), k.digitOf(dc.Column, b)
		d[j] = n.withDigit(dc.Exp, nd)
		change[j] = math.Abs(float64(nd-old)) * unit
		if x := math.Abs(numberValue(n)); x > 0 {
			rel[j] = change[j] / x
		}
	}
	var sum, sumRel float64
	for _, code := range col.Codes {
		c := change[code]
		if c < 0 {
			continue
		}
		ds.Cells++
		if c > 0 {
			ds.Changed++
		}
		sum += c
		sumRel += rel[code]
		ds.MaxAbsChange = max(ds.MaxAbsChange, c)
	}
	if ds.Cells > 0 {
		ds.MeanAbsChange, ds.MeanRelChange = sum/float64(ds.Cells), sumRel/float64(ds.Cells)
	}
	ds.Buckets = len(buckets)
	return d, ds
}

// numberValue is n as a float, for the relative change only.
func numberValue(n number) float64 {
	var x float64
	for i := 0; i < len(n.intp); i++ {
		x = x*10 + float64(n.intp[i]-'0')
	}
	f := 0.1
	for i := 0; i < len(n.frac); i++ {
		x += float64(n.frac[i]-'0') * f
		f /= 10
	}
	return x
}
