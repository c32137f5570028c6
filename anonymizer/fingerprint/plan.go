package fingerprint

import (
	"fmt"
	"slices"

	"github.com/shujiao/shujiao/anonymizer"
)

// Plan names where a release carries the marks of its copies. It is kept
// with the release (the platform stores it beside the copies' records) and
// given to Embed and Detect alike.
type Plan struct {
	// Pseudonyms are release columns of keyed pseudonyms: every copy gets its
	// own keyed pseudonym of each (a bijection of the release's values).
	Pseudonyms []string `json:"pseudonyms"`
	// Digits are insensitive numeric columns with a declared precision: every
	// copy shifts, by a keyed amount per bucket, the digit just below it.
	Digits []DigitColumn `json:"digits"`
	// Shuffle: every copy's rows come in a keyed order.
	Shuffle bool `json:"shuffle"`
	// Notes say why a column that could have been marked was not.
	Notes []string `json:"notes,omitempty"`
}

// DigitColumn is a numeric column whose digit at 10^Exp carries a mark.
type DigitColumn struct {
	Column string `json:"column"`
	Exp    int    `json:"exp"`
}

// NewPlan chooses the marks of release, given the policy it was certified
// under (nil: no column declares anything) and the columns the gate
// accepted as keyed pseudonyms (GateResult.Pseudonyms). Columns not in the
// release are ignored. A declared precision is used only on an insensitive
// column whose values mostly are plain numbers writing the digit below the
// precision, and vary there: a column rounded to its precision is left
// alone, so that no copy shows digits the release generalized away (the
// reason is in Notes). NewPlan returns an error for an invalid precision.
func NewPlan(release *anonymizer.Table, policy *anonymizer.Policy, pseudonyms []string) (Plan, error) {
	p := Plan{Pseudonyms: []string{}, Digits: []DigitColumn{}, Shuffle: true}
	add := func(name string) {
		if release.ColumnIndex(name) >= 0 && !slices.Contains(p.Pseudonyms, name) {
			p.Pseudonyms = append(p.Pseudonyms, name)
		}
	}
	for _, n := range pseudonyms {
		add(n)
	}
	if policy == nil {
		return p, nil
	}
	names := make([]string, 0, len(policy.Columns))
	for n := range policy.Columns {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, name := range names {
		cp := policy.Columns[name]
		if cp.Role == anonymizer.RoleIdentifying && cp.Action == "pseudonymize" {
			add(name)
		}
		if cp.Precision == "" || release.ColumnIndex(name) < 0 {
			continue
		}
		if cp.Role != anonymizer.RoleInsensitive {
			return Plan{}, fmt.Errorf("fingerprint plan: column %s: only insensitive columns declare a precision", name)
		}
		e, err := anonymizer.ParsePrecision(cp.Precision)
		if err != nil {
			return Plan{}, fmt.Errorf("fingerprint plan: column %s: %w", name, err)
		}
		if why := digitsUsable(release.Column(name), e-1); why != "" {
			p.Notes = append(p.Notes, fmt.Sprintf("column %s not marked: %s", name, why))
			continue
		}
		p.Digits = append(p.Digits, DigitColumn{Column: name, Exp: e - 1})
	}
	return p, nil
}

// digitsUsable says why the digit at 10^e of col cannot carry a mark, or "".
func digitsUsable(col *anonymizer.Column, e int) string {
	var rows, markable, nonzero int
	for r := range col.Codes {
		rows++
		n, ok := parseNumber(col.Value(r))
		if !ok || n.index(e) < 0 || n.bucket(e) == "" {
			continue
		}
		markable++
		if n.digit(e) != 0 {
			nonzero++
		}
	}
	switch {
	case rows == 0:
		return "no rows"
	case markable*2 < rows:
		return fmt.Sprintf("only %d of %d values are plain numbers writing the digit at 10^%d", markable, rows, e)
	case nonzero*10 < markable:
		return fmt.Sprintf("the digit at 10^%d is 0 in %d of %d values: the column is rounded to its precision", e, markable-nonzero, markable)
	}
	return ""
}
