package httpapi

import (
	"net/http"
	"testing"

	"github.com/shujiao/shujiao/market"
)

const docSHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

// licensedSource is a contract-licensed, non-public source with a valid
// authorization whose scope is the given one.
func licensedSource(from, to string, scope ...string) map[string]any {
	return map[string]any{"origin": "contract_licensed", "own_data": false, "disclosure": "non_public",
		"authorization": map[string]any{"grantor": "某市公交集团", "document_sha256": docSHA, "scope": scope,
			"valid_from": from, "valid_to": to}, "government": nil}
}

func governmentSource(class string, approval any, sharedForDuty bool) map[string]any {
	return map[string]any{"origin": "government_open", "own_data": false, "disclosure": "public", "authorization": nil,
		"government": map[string]any{"catalog_id": "SX-OPEN-2026-0042", "open_class": class,
			"shared_for_duty": sharedForDuty, "approval_ref": approval}}
}

func TestSubmit_EveryArticle36RuleReachesTheAPIWithItsArticle(t *testing.T) {
	w := mustMarket(t, marketOptions{noRunner: true})
	seller := w.mustParty("陕西数源科技", market.PartyParticipant, market.RoleSeller)
	cases := []struct {
		name     string
		change   func(d map[string]any)
		rule     string
		article  string
		decision string
		state    string
	}{
		{"Shaanxi Art. 36(1): a licensed source without authorization evidence is blocked", func(d map[string]any) {
			d["sources"] = []any{map[string]any{"origin": "contract_licensed", "own_data": false, "disclosure": "public", "authorization": nil, "government": nil}}
		}, market.RuleAuthorizationMissing, market.ArticleShaanxi36_1, "blocked", "blocked"},
		{"Shaanxi Art. 36(1): an authorization not yet valid is blocked", func(d map[string]any) {
			d["sources"] = []any{licensedSource("2099-01-01", "2099-12-31", "trading")}
		}, market.RuleAuthorizationNotYetValid, market.ArticleShaanxi36_1, "blocked", "blocked"},
		{"Shaanxi Art. 36(1): an expired authorization is blocked", func(d map[string]any) {
			d["sources"] = []any{licensedSource("2020-01-01", "2021-12-31", "trading")}
		}, market.RuleAuthorizationExpired, market.ArticleShaanxi36_1, "blocked", "blocked"},
		{"Shaanxi Art. 36(1): an authorization whose scope lacks trading is blocked", func(d map[string]any) {
			d["sources"] = []any{licensedSource("2026-01-01", "2027-12-31", "research")}
		}, market.RuleAuthorizationNoTrading, market.ArticleShaanxi36_1, "blocked", "blocked"},
		{"Shaanxi Art. 36(1): a scope the rule set does not know goes to review", func(d map[string]any) {
			d["sources"] = []any{licensedSource("2026-01-01", "2027-12-31", "trading", "telepathy")}
		}, market.RuleAuthorizationUnknownScope, market.ArticleShaanxi36_1, "review", "under_review"},
		{"Shaanxi Art. 36(1) and Tianjin Art. 29: personal information without a certificate is blocked", func(d map[string]any) {
			d["contains_personal_info"] = true
		}, market.RulePersonalInfoNoCertificate, market.ArticleShaanxi36_1, "blocked", "blocked"},
		{"Shaanxi Art. 36(2): government data whose open class is none is blocked", func(d map[string]any) {
			d["sources"] = []any{governmentSource("none", nil, false)}
		}, market.RuleGovernmentNotOpen, market.ArticleShaanxi36_2, "blocked", "blocked"},
		{"Shaanxi Art. 36(2): conditionally open government data without approval is blocked", func(d map[string]any) {
			d["sources"] = []any{governmentSource("conditional", nil, false)}
		}, market.RuleGovernmentNoApproval, market.ArticleShaanxi36_2, "blocked", "blocked"},
		{"Shaanxi Art. 36(2), Tianjin Art. 18: government data shared for duties is blocked", func(d map[string]any) {
			d["sources"] = []any{governmentSource("unconditional", nil, true)}
		}, market.RuleGovernmentSharedForDuty, market.ArticleShaanxi36_2, "blocked", "blocked"},
		{"Shaanxi Art. 36(2): non-public data of others without a trading authorization is blocked", func(d map[string]any) {
			d["sources"] = []any{licensedSource("2026-01-01", "2027-12-31", "commercial_use")}
		}, market.RuleNonPublicNotAuthorized, market.ArticleShaanxi36_2, "blocked", "blocked"},
		{"Shaanxi Art. 36(3): core data is blocked", func(d map[string]any) {
			d["classification"] = "core"
		}, market.RuleCoreData, market.ArticleShaanxi36_3, "blocked", "blocked"},
		{"Shaanxi Art. 36(3): important data without a security assessment is blocked", func(d map[string]any) {
			d["classification"] = "important"
		}, market.RuleImportantNoAssessment, market.ArticleShaanxi36_3, "blocked", "blocked"},
		{"Shaanxi Art. 36(3): a state secret is blocked", func(d map[string]any) {
			d["state_secret"] = true
		}, market.RuleStateSecret, market.ArticleShaanxi36_3, "blocked", "blocked"},
		{"Shaanxi Art. 36(3): sensitive personal information below L3 is blocked", func(d map[string]any) {
			d["contains_sensitive_personal_info"] = true
		}, market.RuleSensitiveBelowL3, market.ArticleShaanxi36_3, "blocked", "blocked"},
		{"Shaanxi Art. 36(3): minors' data below L3 is blocked", func(d map[string]any) {
			d["contains_minors_data"] = true
		}, market.RuleMinorsBelowL3, market.ArticleShaanxi36_3, "blocked", "blocked"},
		{"Shaanxi Art. 36(3): a category on the negative list is blocked", func(d map[string]any) {
			d["category"] = "personal_tracking"
		}, market.RuleNegativeList, market.ArticleShaanxi36_3, "blocked", "blocked"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := ownDataDeclaration(tc.name)
			tc.change(d)
			var l listingBody
			seller.mustDo(http.StatusCreated, http.MethodPost, "/v1/listings", d, &l)
			seller.mustDo(http.StatusOK, http.MethodPost, "/v1/listings/"+l.ID+"/submit", nil, &l)
			if l.State != tc.state || l.Decision == nil || l.Decision.Decision != tc.decision {
				t.Fatalf("state %s, decision %+v: want %s / %s", l.State, l.Decision, tc.state, tc.decision)
			}
			found := false
			for _, v := range l.Decision.Violations {
				if v.Rule == tc.rule {
					found = true
					if v.Article != tc.article || v.Reason == "" {
						t.Errorf("violation %+v: want article %s and a reason", v, tc.article)
					}
				}
			}
			if !found {
				t.Errorf("violations %+v: want rule %s", l.Decision.Violations, tc.rule)
			}
			if n := w.count(`SELECT 1 FROM listing_decisions WHERE listing_id = $1 AND ruleset_version = $2`, l.ID, market.DefaultRuleSet().Version); n != 1 {
				t.Errorf("stored decisions with their rule-set version: %d, want 1", n)
			}
		})
	}
	t.Run("the baseline declaration of own data is listable", func(t *testing.T) {
		var l listingBody
		seller.mustDo(http.StatusCreated, http.MethodPost, "/v1/listings", ownDataDeclaration("baseline"), &l)
		seller.mustDo(http.StatusOK, http.MethodPost, "/v1/listings/"+l.ID+"/submit", nil, &l)
		if l.State != "listed" || len(l.Decision.Violations) != 0 {
			t.Fatalf("state %s violations %+v: want listed without violations", l.State, l.Decision.Violations)
		}
	})
}

func TestCreateListing_RejectsAnInlineCertificateAndOthersReferences(t *testing.T) {
	w := mustMarket(t, marketOptions{noRunner: true})
	seller := w.mustParty("陕西数源科技", market.PartyParticipant, market.RoleSeller)
	cases := []struct {
		name   string
		change func(d map[string]any)
		code   string
		field  string
	}{
		{"an inline certificate result is refused: the API reads the signed certificate", func(d map[string]any) {
			d["certificate"] = map[string]any{"passed": true, "level": "L4"}
		}, "inline_certificate", "certificate"},
		{"a certificate that is not the seller's is refused", func(d map[string]any) {
			d["certificate_id"] = "0192f0c2-0000-7000-8000-000000000001"
		}, "unknown_certificate", "certificate_id"},
		{"a dataset that is not the seller's is refused", func(d map[string]any) {
			d["dataset_id"] = "0192f0c2-0000-7000-8000-000000000001"
		}, "unknown_dataset", "dataset_id"},
		{"an unknown key is refused", func(d map[string]any) { d["colour"] = "red" }, "unknown_field", "colour"},
		{"a negative price is refused", func(d map[string]any) { d["price"] = "-1" }, "invalid_price", "price"},
		{"a price finer than the fen is refused", func(d map[string]any) { d["price"] = "1.005" }, "invalid_price", "price"},
		{"a malformed authorization date names its field", func(d map[string]any) {
			d["sources"] = []any{licensedSource("2026-13-01", "2027-12-31", "trading")}
		}, "invalid_json", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := ownDataDeclaration("refused")
			tc.change(d)
			st, b := seller.do(http.MethodPost, "/v1/listings", d)
			p := mustAPIProblem(t, b)
			if st != http.StatusBadRequest || p.Code != tc.code || (tc.field != "" && p.Field != tc.field) {
				t.Errorf("status %d problem %+v: want 400 %s on %s", st, p, tc.code, tc.field)
			}
		})
	}
}
