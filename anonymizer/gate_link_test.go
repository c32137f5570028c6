package anonymizer

import (
	"testing"
)

func TestParseGeneralized_CoversTheRawValuesItStandsFor(t *testing.T) {
	cases := []struct {
		release string
		raw     string
		want    bool
	}{
		{"35", "35", true},
		{"35", "36", false},
		{"*", "anything", true},
		{"20-29", "29", true},
		{"20-29", "30", false},
		{"20~29岁", "20", true},
		{"[20,30)", "30", false},
		{"[20,30)", "20", true},
		{"(20,30]", "20", false},
		{"(20,30]", "30", true},
		{"[20, 30[", "29.5", true},
		{"[0.5, 1)", "0.75", true},
		{">=80", "80", true},
		{">80", "80", false},
		{"≤20", "20", true},
		{"<20", "20", false},
		{"80+", "95", true},
		{"60以上", "59", false},
		{"1990-1999", "1995-06-01", true},
		{"1990-1999", "2000-01-01", false},
		{"1101**", "110105", true},
		{"1101**", "110205", false},
		{"110101********0011", "110101199003070011", true},
		{"张*", "张三丰", true},
		{"张*", "李三", false},
		{"138****8000", "13812348000", true},
		{"1990", "1990-03-07", true},
		{"1990-03", "1990-03-07", true},
		{"1990-03", "1990-04-01", false},
		{"1990/3", "1990年3月7日", true},
		{"1990-Q1", "19900331", true},
		{"1990Q2", "1990-03-31", false},
		{"{本科,硕士}", "硕士", true},
		{"本科|硕士", "博士", false},
		{"abc-def", "abc", false}, // not an interval: only itself
	}
	for _, tc := range cases {
		g := parseGeneralized(tc.release)
		if got := g.covers(tc.raw); got != tc.want {
			t.Errorf("%q covers %q = %v, want %v (kind %d)", tc.release, tc.raw, got, tc.want, g.kind)
		}
	}
}

func FuzzParseGeneralized(f *testing.F) {
	for _, s := range []string{"20-29", "[20, 30[", "(1,2]", ">=80", "1101**", "1990-Q1", "1990/3", "{a,b}", "a|b", "*", "-5-0", "张*", "[", "1990年3月", "∞-∞"} {
		f.Add(s, "25")
	}
	f.Fuzz(func(t *testing.T, release, raw string) {
		g := parseGeneralized(release)
		if g.kind == linkInterval && g.lo > g.hi {
			t.Fatalf("%q parsed as an empty interval [%v, %v]", release, g.lo, g.hi)
		}
		if g.kind == linkDate && g.from > g.to {
			t.Fatalf("%q parsed as an empty period", release)
		}
		g.covers(raw) // must not panic
		if !g.covers(g.value) {
			t.Fatalf("%q does not cover itself", release)
		}
	})
}

func FuzzMaskedIdentifier(f *testing.F) {
	for _, s := range []string{"110101********0011", "138****8000", "张*", "*", "**1", "1*2*3"} {
		f.Add(s)
	}
	raw := MustTable([]string{"id", "mobile", "name"},
		[]string{"110101199003070011", "13800138000", "张三"},
		[]string{"110101199003074514", "13912345678", "李四"})
	ix := newIDIndex(raw, []int{0, 1, 2})
	f.Fuzz(func(t *testing.T, v string) {
		ix.masks.tooLittle(v, 20) // must not panic
		if hasMask(v) {
			_ = ix.findInText(v)
		}
	})
}

func FuzzCheckRelease(f *testing.F) {
	f.Add("110101199003070011", "35", "[30, 40[", "哮喘", "张*")
	f.Add("13800138000", "1990-03-07", "1990-Q1", "*", "138****8000")
	f.Add("", "", "", "", "")
	f.Fuzz(func(t *testing.T, id, raw, rel, sens, note string) {
		rawT := MustTable([]string{"id", "q", "s"}, []string{id, raw, sens}, []string{id + "1", raw, sens}, []string{"x" + id, rel, sens})
		relT := MustTable([]string{"q", "s", "note"}, []string{rel, sens, note}, []string{rel, sens, id}, []string{raw, sens, note})
		pol := &Policy{Columns: map[string]ColumnPolicy{"id": {Role: RoleIdentifying}, "q": {Role: RoleQuasi}, "s": {Role: RoleSensitive}}}
		for _, mode := range []Mode{ModePublic, ModeEnclave} {
			res := CheckRelease(rawT, relT, GateOptions{Policy: pol, Mode: mode, EnumerationBudget: 20_000})
			if res.Passed != (len(res.Reasons) == 0) {
				t.Fatalf("passed=%v with %d reasons", res.Passed, len(res.Reasons))
			}
			switch res.Level {
			case LevelL1, LevelL2, LevelL3, LevelL4:
			default:
				t.Fatalf("level %q", res.Level)
			}
			if res.Risk < 0 || res.Risk > 1 {
				t.Fatalf("risk %v", res.Risk)
			}
		}
	})
}
