package anonymizer

import (
	"strings"
	"testing"
)

// mustPopulation returns n synthetic people (SynthHeader columns), the same
// for the same seed.
func mustPopulation(tb testing.TB, n int, seed int64) *Table {
	tb.Helper()
	s := NewSynthesizer(seed)
	t, err := NewTable("raw.csv", s.Header())
	if err != nil {
		tb.Fatal(err)
	}
	row := make([]string, 0, len(SynthHeader))
	for i := range n {
		row = s.Next(row)
		if err := t.AppendRow(row, i+2); err != nil {
			tb.Fatal(err)
		}
	}
	return t
}

// releaseCol derives one release column from a raw row (cells by raw column name).
type releaseCol struct {
	name string
	f    func(row map[string]string, r int) string
}

// keep releases a raw column unchanged.
func keep(name string) releaseCol {
	return releaseCol{name, func(row map[string]string, _ int) string { return row[name] }}
}

// derive releases f of one raw column under a (possibly new) name.
func derive(name, from string, f func(string) string) releaseCol {
	return releaseCol{name, func(row map[string]string, _ int) string { return f(row[from]) }}
}

// mustRelease builds a release row by row from raw.
func mustRelease(tb testing.TB, raw *Table, cols ...releaseCol) *Table {
	tb.Helper()
	header := make([]string, len(cols))
	for i, c := range cols {
		header[i] = c.name
	}
	t, err := NewTable("release.csv", header)
	if err != nil {
		tb.Fatal(err)
	}
	out := make([]string, len(cols))
	row := make(map[string]string, len(raw.Columns))
	for r := range raw.Rows() {
		for i, c := range raw.Columns {
			row[c.Name] = raw.Value(r, i)
		}
		for i, c := range cols {
			out[i] = c.f(row, r)
		}
		if err := t.AppendRow(out, r+2); err != nil {
			tb.Fatal(err)
		}
	}
	return t
}

// synthPolicy gives the synthetic population's columns their roles: the
// three direct identifiers, sex and birth date as quasi-identifiers, the
// diagnosis sensitive, the rest insensitive.
func synthPolicy() *Policy {
	return &Policy{Columns: map[string]ColumnPolicy{
		"身份证号": {Role: RoleIdentifying}, "姓名": {Role: RoleIdentifying}, "手机号": {Role: RoleIdentifying},
		"性别": {Role: RoleQuasi}, "出生日期": {Role: RoleQuasi}, "行政区划": {Role: RoleQuasi},
		"职业": {Role: RoleInsensitive}, "学历": {Role: RoleInsensitive}, "收入": {Role: RoleInsensitive},
		"诊断": {Role: RoleSensitive},
	}}
}

// decade generalizes a birth date to its decade, "1980-1989".
func decade(v string) string {
	y := v[:3]
	return y + "0-" + y + "9"
}

// safeRelease is a hand-built release of the population: identifiers and
// division dropped, sex kept, birth dates generalized to decades, diagnosis
// kept — k well above 20 for a few thousand people.
func safeRelease(tb testing.TB, raw *Table, extra ...releaseCol) *Table {
	cols := []releaseCol{keep("性别"), derive("出生日期", "出生日期", decade), keep("诊断")}
	return mustRelease(tb, raw, append(cols, extra...)...)
}

// mustFail asserts that the gate failed with a reason of check on column.
func mustFail(tb testing.TB, res *GateResult, check, column string) Reason {
	tb.Helper()
	if res.Passed {
		tb.Fatalf("gate passed, want a %s failure on %q", check, column)
	}
	for _, r := range res.Reasons {
		if r.Check == check && (column == "" || r.Column == column) {
			if r.Detail == "" || r.Article == "" {
				tb.Fatalf("reason without detail or article: %+v", r)
			}
			return r
		}
	}
	tb.Fatalf("no %s reason on %q; reasons: %s", check, column, reasonList(res))
	return Reason{}
}

func reasonList(res *GateResult) string {
	var b strings.Builder
	for _, r := range res.Reasons {
		b.WriteString("\n  " + r.Check + " " + r.Column + ": " + r.Detail)
	}
	return b.String()
}
