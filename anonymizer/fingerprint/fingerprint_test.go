package fingerprint_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/anonymizer/fingerprint"
)

func TestNewPlan_MarksThePseudonymAndTheDeclaredIncomeDigit(t *testing.T) {
	f := mustFixture(t, 2000)
	if got, want := f.plan.Pseudonyms, []string{"手机号"}; !slices.Equal(got, want) {
		t.Errorf("pseudonyms %v, want %v", got, want)
	}
	if got, want := fmt.Sprint(f.plan.Digits), "[{收入 2}]"; got != want {
		t.Errorf("digits %s, want %s (precision 1000: the hundreds digit)", got, want)
	}
}

func TestNewPlan_ARoundedColumnIsNotMarked(t *testing.T) {
	f := mustFixture(t, 2000)
	pol := *f.policy
	pol.Columns = map[string]anonymizer.ColumnPolicy{"收入": {Role: anonymizer.RoleInsensitive, Precision: "100"}}
	plan, err := fingerprint.NewPlan(f.release, &pol, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Digits) != 0 || len(plan.Notes) != 1 || !strings.Contains(plan.Notes[0], "rounded") {
		t.Errorf("income is rounded to 100: the tens digit must not be marked, got %v notes %q", plan.Digits, plan.Notes)
	}
}

// Tianjin Art. 29: a copy keeps every quasi-identifier and sensitive value
// of the release, so the equivalence classes, k, l and t are the release's.
func TestEmbed_TianjinArt29_CopyKeepsEveryQuasiIdentifierAndSensitiveRow(t *testing.T) {
	f := mustFixture(t, 2000)
	copies, _ := mustCopies(t, f, 2)
	kept := []string{"性别", "出生日期", "行政区划", "诊断", "学历", "职业"}
	want := rowMultiset(t, f.release, kept)
	for i, c := range copies {
		if got := rowMultiset(t, c, kept); !maps(got, want) {
			t.Fatalf("copy %d: the rows over quasi-identifiers and sensitive columns differ from the release's", i)
		}
		if slices.Equal(allRows(c)[0], allRows(f.release)[0]) && slices.Equal(allRows(c)[1], allRows(f.release)[1]) {
			t.Errorf("copy %d starts with the release's rows: not shuffled", i)
		}
	}
	if slices.Equal(copies[0].Column("手机号").Dict, copies[1].Column("手机号").Dict) {
		t.Error("two copies have the same pseudonyms: they could be joined")
	}
}

func rowMultiset(tb testing.TB, t *anonymizer.Table, cols []string) map[string]int {
	p := project(tb, t, cols, nil)
	m := map[string]int{}
	for r := range p.Rows() {
		m[strings.Join(p.Row(r), "\x00")]++
	}
	return m
}

func maps(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestEmbed_IncomeMovesOnlyBelowItsDeclaredPrecisionOneKeyedDigitPerBucket(t *testing.T) {
	f := mustFixture(t, 2000)
	key, _ := fingerprint.OrderKey(make([]byte, 32), "o1")
	plan := f.plan
	plan.Shuffle = false
	c, st, err := fingerprint.Embed(f.release, plan, key)
	if err != nil {
		t.Fatal(err)
	}
	rel, cp := f.release.Column("收入"), c.Column("收入")
	digit := map[string]byte{} // bucket (thousands) → the copy's hundreds digit
	for r := range f.release.Rows() {
		a, b := rel.Value(r), cp.Value(r)
		if len(a) < 4 { // under 1000: the hundreds digit is the first, not marked
			if a != b {
				t.Fatalf("row %d: income %s became %s: a value under 1000 carries no mark", r, a, b)
			}
			continue
		}
		if len(a) != len(b) || a[:len(a)-3] != b[:len(b)-3] || a[len(a)-2:] != b[len(b)-2:] {
			t.Fatalf("row %d: income %s became %s: only the hundreds digit may change", r, a, b)
		}
		bucket := a[:len(a)-3]
		if d, ok := digit[bucket]; ok && d != b[len(b)-3] {
			t.Fatalf("bucket %s carries hundreds digits %c and %c: one keyed digit per bucket", bucket, d, b[len(b)-3])
		}
		digit[bucket] = b[len(b)-3]
	}
	d := st.Digits[0]
	if d.Cells < f.release.Rows()*9/10 || d.Changed == 0 || d.MaxAbsChange > 900 || d.MeanRelChange > 0.05 || d.Buckets != len(digit) {
		t.Errorf("income stats %+v: want nine cells in ten marked, max change ≤ 900, %d buckets", d, len(digit))
	}
}

// Tianjin Art. 29: the gate passes on every one of 20 copies, with the
// release's classes.
func TestEmbed_TianjinArt29_EveryCopyOfTwentyPassesTheGate(t *testing.T) {
	f := mustFixture(t, 2000)
	copies, keys := mustCopies(t, f, 20)
	for i, c := range copies {
		g := anonymizer.CheckRelease(f.raw, c, copyGate(t, f, keys[i]))
		if !g.Passed {
			t.Fatalf("copy %d fails the gate: %+v", i, g.Reasons)
		}
		if g.MinClass != f.result.MinClass || g.Classes != f.result.Classes || g.Suppressed != f.result.Suppressed || g.Level != f.result.Level {
			t.Errorf("copy %d: classes %d min %d suppressed %d level %s, release %d min %d suppressed %d level %s", i,
				g.Classes, g.MinClass, g.Suppressed, g.Level, f.result.Classes, f.result.MinClass, f.result.Suppressed, f.result.Level)
		}
		if !slices.Contains(g.Pseudonyms, "手机号") || len(g.PseudonymKeys) != 1 || g.PseudonymKeys[0].Copy != keys[i].ID ||
			g.PseudonymKeys[0].RawColumn != "手机号" || g.PseudonymKeys[0].KeyID != sellerKey.ID {
			t.Errorf("copy %d: the gate does not recompute the copy's pseudonyms under its order key: %v %+v", i, g.Pseudonyms, g.PseudonymKeys)
		}
	}
}

// Tianjin Art. 29: a copy checked without its order's key, or with another
// order's, is restorable (L1): per-order pseudonyms pass only by
// recomputation, so a leaked copy cannot be passed off under someone
// else's key, nor by what its values look like.
func TestEmbed_TianjinArt29_ACopyWithoutItsOrderKeyIsRestorable(t *testing.T) {
	f := mustFixture(t, 2000)
	copies, keys := mustCopies(t, f, 2)
	for name, opt := range map[string]anonymizer.GateOptions{
		"platform keys only":  f.gate,
		"another order's key": copyGate(t, f, keys[1]),
	} {
		g := anonymizer.CheckRelease(f.raw, copies[0], opt)
		restorable := false
		for _, r := range g.Reasons {
			restorable = restorable || r.Check == anonymizer.CheckRestorable
		}
		if g.Passed || !restorable || g.Level != anonymizer.LevelL1 || slices.Contains(g.Pseudonyms, "手机号") {
			t.Errorf("%s: copy passed=%v level %s pseudonyms %v reasons %+v: want restorable, L1", name, g.Passed, g.Level, g.Pseudonyms, g.Reasons)
		}
	}
}
