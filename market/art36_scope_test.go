package market

import (
	"strings"
	"testing"
)

// Shaanxi Art. 36(1): the authorization scope is read through the rule
// set's vocabulary — its implications and its Chinese and English synonyms.
func TestGate_ShaanxiArt36_1_ScopeVocabulary(t *testing.T) {
	cases := []struct {
		name     string
		scope    []string
		decision Decision
		rule     string
		word     string // the word a review must name
	}{
		{"TestGate_ShaanxiArt36_1_ResalePermitsSale", []string{"resale"}, DecisionListable, "", ""},
		{"TestGate_ShaanxiArt36_1_TradingPermitsSale", []string{"trading"}, DecisionListable, "", ""},
		{"TestGate_ShaanxiArt36_1_ChineseSynonymOfResale", []string{"转售"}, DecisionListable, "", ""},
		{"TestGate_ShaanxiArt36_1_SpelledDifferently", []string{"Re-Sale"}, DecisionListable, "", ""},
		{"TestGate_ShaanxiArt36_1_InternalUseDoesNotPermitSale", []string{"internal_use"}, DecisionBlocked, RuleAuthorizationNoTrading, ""},
		{"TestGate_ShaanxiArt36_1_ResearchAndCommercialUseDoNotPermitSale", []string{"科研", "commercial_use"}, DecisionBlocked, RuleAuthorizationNoTrading, ""},
		{"TestGate_ShaanxiArt36_1_UnknownWordGoesToReviewNamed", []string{"metaverse_rights"}, DecisionReview, RuleAuthorizationUnknownScope, "metaverse_rights"},
		{"TestGate_ShaanxiArt36_1_UnknownWordBesideResearchIsReviewNotBlock", []string{"research", "数字孪生权"}, DecisionReview, RuleAuthorizationUnknownScope, "数字孪生权"},
	}
	rs := DefaultRuleSet()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := mustListableListing(t)
			l.Sources = []Source{{Origin: OriginContractLicensed, Disclosure: DisclosureNonPublic, Authorization: licensed("2026-01-01", "2027-12-31", c.scope...)}}
			res := Gate(&l, nil, rs, gateAt)
			if res.Decision != c.decision {
				t.Fatalf("decision %s, want %s: %+v", res.Decision, c.decision, res.Violations)
			}
			if c.rule == "" {
				return
			}
			v := findViolation(res, c.rule)
			if v == nil || v.Article != ArticleShaanxi36_1 {
				t.Fatalf("no %s violation citing %s: %+v", c.rule, ArticleShaanxi36_1, res.Violations)
			}
			if c.word != "" && !strings.Contains(v.Reason, c.word) {
				t.Errorf("reason %q does not name %q", v.Reason, c.word)
			}
		})
	}
}

func TestRuleSet_ShaanxiArt36_1_OldKnownScopesStillParse(t *testing.T) {
	old := strings.Replace(string(DefaultRuleSetJSON()), `"scopes": [`, `"known_scopes": ["trading", "research"], "old_scopes": [`, 1)
	if _, err := ParseRuleSet([]byte(old)); err == nil {
		t.Fatal("an unknown key was accepted")
	}
	rs := DefaultRuleSet()
	rs.Scopes, rs.KnownScopes = nil, []string{"trading", "research"}
	if err := rs.Validate(); err != nil {
		t.Fatal(err)
	}
	if v := rs.JudgeScopes([]string{"research"}); v.PermitsSale || len(v.Unknown) != 0 {
		t.Errorf("research under known_scopes: %+v", v)
	}
	if v := rs.JudgeScopes([]string{"TRADING"}); !v.PermitsSale {
		t.Errorf("trading under known_scopes does not permit sale: %+v", v)
	}
	rs.KnownScopes = []string{"research"}
	if err := rs.Validate(); err == nil {
		t.Error("a rule set where no scope permits sale was accepted")
	}
}

func findViolation(res GateResult, rule string) *Violation {
	for i := range res.Violations {
		if res.Violations[i].Rule == rule {
			return &res.Violations[i]
		}
	}
	return nil
}
