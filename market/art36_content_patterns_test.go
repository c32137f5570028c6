package market

import "testing"

func TestCompilePattern_CompiledOnceAndErrorsNotKept(t *testing.T) {
	a, err := compilePattern(`^1[3-9]\d{9}$`)
	if err != nil {
		t.Fatal(err)
	}
	b, err := compilePattern(`^1[3-9]\d{9}$`)
	if err != nil {
		t.Fatal(err)
	}
	if a != b {
		t.Error("the same pattern was compiled twice")
	}
	if !a.MatchString("13912345678") || a.MatchString("1391234567") {
		t.Error("the cached pattern does not match as the pattern says")
	}
	for range 2 {
		if re, err := compilePattern(`(`); err == nil || re != nil {
			t.Errorf("compilePattern(%q) = %v, %v; want the compile error", `(`, re, err)
		}
	}
	if _, ok := patternCache.m.Load(`(`); ok {
		t.Error("a pattern that does not compile was kept")
	}
}
