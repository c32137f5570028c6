package market

import (
	"errors"
	"strings"
	"testing"
)

func TestDefaultRuleSet_IsValidWithTheDocumentedDefaults(t *testing.T) {
	rs := DefaultRuleSet()
	if got, want := rs.Art37.Tolerance.String(), "0.01"; got != want {
		t.Errorf("tolerance %s, want %s", got, want)
	}
	if rs.Art37.MaxPromotionDays != 90 {
		t.Errorf("max promotion days %d, want 90", rs.Art37.MaxPromotionDays)
	}
	if !rs.KnowsScope("Trading") || rs.KnowsScope("metaverse_rights") {
		t.Error("known scopes are wrong")
	}
	if _, ok := rs.Banned(" STATE_SECRET "); !ok {
		t.Error("state_secret is not on the negative list")
	}
}

func TestParseRuleSet_RejectsInvalidRuleSets(t *testing.T) {
	base := string(DefaultRuleSetJSON())
	cases := []struct{ name, from, to, field string }{
		{"a zero version", `"version": 3`, `"version": 0`, "version"},
		{"a negative tolerance", `"tolerance": "0.01"`, `"tolerance": "-0.01"`, "art37.tolerance"},
		{"a promotion limit of zero days", `"max_promotion_days": 90`, `"max_promotion_days": 0`, "art37.max_promotion_days"},
		{"bands out of order", `["1000", "10000"`, `["10000", "1000"`, "art37.volume_bands[1]"},
		{"too few permutations to reach alpha", `"habit_permutations": 1999`, `"habit_permutations": 50`, "art37.habit_permutations"},
		{"a spelling meaning two scopes", `"trade", "sale"`, `"trade", "resell"`, "scopes[1].synonyms"},
		{"a legal exception without basis", `"legal_exceptions": []`, `"legal_exceptions": [{"id": "x", "basis": ""}]`, "legal_exceptions[0]"},
		{"an unknown key", `"version": 3,`, `"version": 3, "extra": true,`, "extra"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := strings.Replace(base, c.from, c.to, 1)
			if in == base {
				t.Fatal("the test did not change the input")
			}
			_, err := ParseRuleSet([]byte(in))
			var e *Error
			if !errors.As(err, &e) || e.Field != c.field {
				t.Fatalf("error %v (field %q), want one naming %s", err, ruleSetErrField(e), c.field)
			}
		})
	}
}

func ruleSetErrField(e *Error) string {
	if e == nil {
		return ""
	}
	return e.Field
}

func TestLegalException_Covers(t *testing.T) {
	e := LegalException{ID: "gov", Basis: "Government Procurement Law", BuyerKind: "government", ValidFrom: MustDate("2026-01-01"), ValidTo: MustDate("2026-12-31")}
	in := gateAt
	if !e.Covers("S1", "L1", "government", in) {
		t.Error("does not cover a government buyer in its period")
	}
	if e.Covers("S1", "L1", "organization", in) {
		t.Error("covers an organization")
	}
	if e.Covers("S1", "L1", "government", MustDate("2027-01-01").Start()) {
		t.Error("covers a trade after its period")
	}
}
