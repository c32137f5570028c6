package anonymizer

import (
	"context"
	"strings"
	"testing"
)

// TestGate_TianjinArt29_AdultSuppressedGroupIsChecked is the Adult
// example: at k = 5 with 5 % suppression and salary-class sensitive, the
// records the anonymizer suppresses keep their salary class; together they
// form one more class, which the gate checks against the policy's
// l-diversity model.
func TestGate_TianjinArt29_AdultSuppressedGroupIsChecked(t *testing.T) {
	tab, hs := MustAdult(t)
	policy := &Policy{Columns: map[string]ColumnPolicy{"salary-class": {Role: RoleSensitive}}, AcceptHomogeneity: true}
	for _, q := range adultQIs {
		policy.Columns[q] = ColumnPolicy{Role: RoleQuasi}
	}
	for _, model := range []string{"entropy:1.5", "recursive:4,2"} {
		t.Run(model, func(t *testing.T) {
			l, err := ParseLDiversity(model)
			if err != nil {
				t.Fatal(err)
			}
			res, err := Anonymize(context.Background(), tab, Config{QuasiIdentifiers: adultQIs, Sensitive: []string{"salary-class"},
				Hierarchies: hs, Models: Models{K: 5, L: &l, Suppression: 0.05}})
			if err != nil {
				t.Fatal(err)
			}
			if res.Suppressed < 2 {
				t.Skipf("%d records suppressed: no suppressed group to check", res.Suppressed)
			}
			// The group's histogram, measured here independently of the gate.
			sc := res.Table.ColumnIndex("salary-class")
			counts := map[string]int{}
			for r := range res.Table.Rows() {
				star := true
				for _, q := range adultQIs {
					if res.Table.Value(r, res.Table.ColumnIndex(q)) != Suppressed {
						star = false
					}
				}
				if star {
					counts[res.Table.Value(r, sc)]++
				}
			}
			hist := []int{}
			for _, n := range counts {
				hist = append(hist, n)
			}
			ok, measure := lDiverse(l, hist)
			p := *policy
			p.L = model
			gate := CheckRelease(tab, res.Table, GateOptions{Policy: &p, Mode: ModeEnclave, Hierarchies: hs})
			failed := false
			for _, r := range gate.Reasons {
				if r.Check == CheckHomogeneity && r.Column == "salary-class" && strings.Contains(r.Detail, "suppressed records") {
					failed = true
				}
			}
			t.Logf("%d suppressed, salary classes %v: %s", res.Suppressed, counts, measure)
			if failed == ok {
				t.Fatalf("suppressed group %v is %s-diverse: %v, but the gate's verdict on it is failed=%v:%s", counts, model, ok, failed, reasonList(gate))
			}
			if model != "recursive:4,2" {
				return
			}
			// With SuppressSensitive the suppressed records disclose nothing.
			res, err = Anonymize(context.Background(), tab, Config{QuasiIdentifiers: adultQIs, Sensitive: []string{"salary-class"},
				Hierarchies: hs, Models: Models{K: 5, L: &l, Suppression: 0.05}, SuppressSensitive: true})
			if err != nil {
				t.Fatal(err)
			}
			gate = CheckRelease(tab, res.Table, GateOptions{Policy: &p, Mode: ModeEnclave, Hierarchies: hs})
			for _, r := range gate.Reasons {
				if strings.Contains(r.Detail, "suppressed records") {
					t.Fatalf("with suppress_sensitive the suppressed group still fails: %s", r.Detail)
				}
			}
		})
	}
}

func TestGate_TianjinArt29_HomogeneousSuppressedGroupFails(t *testing.T) {
	raw, rel := classTable([]int{20, 20}, false)
	diag := rel.Columns[2]
	hiv := int32(len(diag.Dict))
	diag.Dict = append(diag.Dict, "HIV")
	for _, c := range rel.Columns[:2] {
		star := int32(len(c.Dict))
		c.Dict = append(c.Dict, "*")
		for r := 20; r < 40; r++ {
			c.Codes[r] = star
			diag.Codes[r] = hiv
		}
	}
	res := CheckRelease(raw, rel, GateOptions{Policy: classPolicy()})
	r := mustFail(t, res, CheckHomogeneity, "diagnosis")
	if !strings.Contains(r.Detail, "suppressed records") || r.Records != 20 {
		t.Fatalf("reason %+v, want the 20 suppressed records named", r)
	}
}
