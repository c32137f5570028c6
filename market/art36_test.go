package market

import (
	"errors"
	"slices"
	"testing"
	"time"
)

var gateAt = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

func strp(s string) *string { return &s }

// mustListableListing returns a declaration the gate lists: one source of
// the seller's own, non-personal, general data.
func mustListableListing(tb testing.TB) Listing {
	tb.Helper()
	return Listing{Title: "城市出行OD汇总数据", Category: "transport", ProductType: ProductDataset, Classification: ClassGeneral,
		Sources: []Source{{Origin: OriginSelfCollected, OwnData: true, Disclosure: DisclosureNonPublic,
			Collection: &Collection{Basis: BasisContract, Reference: "运输服务合同 2026-017", NoticeRef: "隐私政策 v3"}}}}
}

func licensed(from, to string, scope ...string) *Authorization {
	return &Authorization{Grantor: "某某科技有限公司", DocumentSHA256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
		Scope: scope, ValidFrom: MustDate(from), ValidTo: MustDate(to)}
}

func TestGate(t *testing.T) {
	cases := []struct {
		name     string
		edit     func(l *Listing)
		decision Decision
		rule     string
		article  string
		source   int // -1: the listing as a whole
	}{
		{"TestGate_Listable_OwnGeneralData", func(l *Listing) {}, DecisionListable, "", "", 0},
		{"TestGate_ShaanxiArt36_1_SourceWithoutAuthorization", func(l *Listing) {
			l.Sources = append(l.Sources, Source{Origin: OriginContractLicensed, Disclosure: DisclosurePublic})
		}, DecisionBlocked, RuleAuthorizationMissing, ArticleShaanxi36_1, 1},
		{"TestGate_ShaanxiArt36_1_AuthorizationWithoutDocumentHash", func(l *Listing) {
			a := licensed("2026-01-01", "2027-12-31", "trading")
			a.DocumentSHA256 = ""
			l.Sources = []Source{{Origin: OriginContractLicensed, Disclosure: DisclosurePublic, Authorization: a}}
		}, DecisionBlocked, RuleAuthorizationMissing, ArticleShaanxi36_1, 0},
		{"TestGate_ShaanxiArt36_1_ValidAuthorizationWithTradingScope", func(l *Listing) {
			l.Sources = []Source{{Origin: OriginContractLicensed, Disclosure: DisclosureNonPublic, Authorization: licensed("2026-01-01", "2027-12-31", "trading", "commercial_use")}}
		}, DecisionListable, "", "", 0},
		{"TestGate_ShaanxiArt36_1_ExpiredAuthorization", func(l *Listing) {
			l.Sources = []Source{{Origin: OriginExchangePurchase, Disclosure: DisclosurePublic, Authorization: licensed("2025-01-01", "2026-11-22", "trading")}}
		}, DecisionBlocked, RuleAuthorizationExpired, ArticleShaanxi36_1, 0},
		{"TestGate_ShaanxiArt36_1_AuthorizationValidThroughItsLastDay", func(l *Listing) {
			l.Sources = []Source{{Origin: OriginContractLicensed, Disclosure: DisclosurePublic, Authorization: licensed("2025-01-01", "2026-11-23", "trading")}}
		}, DecisionListable, "", "", 0},
		{"TestGate_ShaanxiArt36_1_AuthorizationNotYetValid", func(l *Listing) {
			l.Sources = []Source{{Origin: OriginContractLicensed, Disclosure: DisclosurePublic, Authorization: licensed("2026-12-01", "2027-12-31", "trading")}}
		}, DecisionBlocked, RuleAuthorizationNotYetValid, ArticleShaanxi36_1, 0},
		{"TestGate_ShaanxiArt36_1_ScopeWithoutTrading", func(l *Listing) {
			l.Sources = []Source{{Origin: OriginContractLicensed, Disclosure: DisclosurePublic, Authorization: licensed("2026-01-01", "2027-12-31", "research")}}
		}, DecisionBlocked, RuleAuthorizationNoTrading, ArticleShaanxi36_1, 0},
		{"TestGate_ShaanxiArt36_1_UnknownScopeGoesToReview", func(l *Listing) {
			l.Sources = []Source{{Origin: OriginContractLicensed, Disclosure: DisclosurePublic, Authorization: licensed("2026-01-01", "2027-12-31", "trading", "metaverse_rights")}}
		}, DecisionReview, RuleAuthorizationUnknownScope, ArticleShaanxi36_1, 0},
		{"TestGate_ShaanxiArt36_1_PublicDisclosureNeedsNoAuthorization", func(l *Listing) {
			l.Sources = []Source{{Origin: OriginPublicDisclosure, Disclosure: DisclosurePublic}}
		}, DecisionListable, "", "", 0},
		{"TestGate_TianjinArt29_PersonalInfoWithoutCertificate", func(l *Listing) {
			l.ContainsPersonalInfo = true
		}, DecisionBlocked, RulePersonalInfoNoCertificate, ArticleShaanxi36_1, -1},
		{"TestGate_TianjinArt29_PersonalInfoWithFailedCertificate", func(l *Listing) {
			l.ContainsPersonalInfo, l.Certificate = true, provenCert(false, "L3")
		}, DecisionBlocked, RulePersonalInfoNoCertificate, ArticleShaanxi36_1, -1},
		{"TestGate_TianjinArt29_PersonalInfoWithPassedCertificate", func(l *Listing) {
			l.ContainsPersonalInfo, l.Certificate = true, provenCert(true, "L3")
		}, DecisionListable, "", "", 0},
		{"TestGate_TianjinArt29_PersonalInfoAtL2IsBlocked", func(l *Listing) {
			l.ContainsPersonalInfo, l.Certificate = true, provenCert(true, "L2")
		}, DecisionBlocked, RulePersonalInfoBelowL3, ArticleTianjin29, -1},
		{"TestGate_TianjinArt29_PersonalInfoAtL1IsBlocked", func(l *Listing) {
			l.ContainsPersonalInfo, l.Certificate = true, provenCert(true, "L1")
		}, DecisionBlocked, RulePersonalInfoBelowL3, ArticleTianjin29, -1},
		{"TestGate_TianjinArt29_SelfDeclaredCertificateCountsForNothing", func(l *Listing) {
			l.ContainsPersonalInfo, l.Certificate = true, &CertificateGate{Passed: true, Level: "L4"}
		}, DecisionBlocked, RuleCertificateNotProof, ArticleTianjin29, -1},
		{"TestGate_ShaanxiArt36_2_GovernmentOpenClassNone", func(l *Listing) {
			l.Sources = []Source{{Origin: OriginGovernmentOpen, Disclosure: DisclosureNonPublic, Government: &Government{CatalogID: "SX-0001", OpenClass: OpenNone}}}
		}, DecisionBlocked, RuleGovernmentNotOpen, ArticleShaanxi36_2, 0},
		{"TestGate_ShaanxiArt36_2_GovernmentConditionalWithoutApproval", func(l *Listing) {
			l.Sources = []Source{{Origin: OriginGovernmentOpen, Disclosure: DisclosureNonPublic, Government: &Government{CatalogID: "SX-0002", OpenClass: OpenConditional}}}
		}, DecisionBlocked, RuleGovernmentNoApproval, ArticleShaanxi36_2, 0},
		{"TestGate_ShaanxiArt36_2_GovernmentConditionalWithApproval", func(l *Listing) {
			l.Sources = []Source{{Origin: OriginGovernmentOpen, Disclosure: DisclosureNonPublic, Government: &Government{CatalogID: "SX-0002", OpenClass: OpenConditional, ApprovalRef: strp("陕数审〔2026〕12号"),
				Approval: &DeclaredApproval{Issuer: "陕西省大数据局", Number: "陕数审〔2026〕12号", Date: MustDate("2026-01-05"),
					ValidFrom: MustDate("2026-01-05"), ValidTo: MustDate("2027-01-04"), Purposes: []string{"resale"}}}}}
		}, DecisionListable, "", "", 0},
		{"TestGate_ShaanxiArt36_2_GovernmentUnconditionalOpen", func(l *Listing) {
			l.Sources = []Source{{Origin: OriginGovernmentOpen, Disclosure: DisclosurePublic, Government: &Government{CatalogID: "SX-0003", OpenClass: OpenUnconditional}}}
		}, DecisionListable, "", "", 0},
		{"TestGate_ShaanxiArt36_2_TianjinArt18_SharedForDuty", func(l *Listing) {
			l.Sources = []Source{{Origin: OriginGovernmentOpen, Disclosure: DisclosurePublic, Government: &Government{CatalogID: "SX-0003", OpenClass: OpenUnconditional, SharedForDuty: true}}}
		}, DecisionBlocked, RuleGovernmentSharedForDuty, ArticleShaanxi36_2, 0},
		{"TestGate_ShaanxiArt36_2_GovernmentSourceWithoutCatalogueGoesToReview", func(l *Listing) {
			l.Sources = []Source{{Origin: OriginGovernmentOpen, Disclosure: DisclosurePublic}}
		}, DecisionReview, RuleGovernmentUndeclared, ArticleShaanxi36_2, 0},
		{"TestGate_ShaanxiArt36_2_NonPublicWithoutTradingAuthorization", func(l *Listing) {
			l.Sources = []Source{{Origin: OriginContractLicensed, Disclosure: DisclosureNonPublic, Authorization: licensed("2026-01-01", "2027-12-31", "research")}}
		}, DecisionBlocked, RuleNonPublicNotAuthorized, ArticleShaanxi36_2, 0},
		{"TestGate_ShaanxiArt36_2_PublicDisclosureDeclaredNonPublic", func(l *Listing) {
			l.Sources = []Source{{Origin: OriginPublicDisclosure, Disclosure: DisclosureNonPublic}}
		}, DecisionBlocked, RuleDisclosureInconsistent, ArticleShaanxi36_2, 0},
		{"TestGate_ShaanxiArt36_3_CoreData", func(l *Listing) { l.Classification = ClassCore }, DecisionBlocked, RuleCoreData, ArticleShaanxi36_3, -1},
		{"TestGate_ShaanxiArt36_3_ImportantDataWithoutAssessment", func(l *Listing) { l.Classification = ClassImportant }, DecisionBlocked, RuleImportantNoAssessment, ArticleShaanxi36_3, -1},
		{"TestGate_ShaanxiArt36_3_ImportantDataWithAssessment", func(l *Listing) {
			l.Classification, l.SecurityAssessmentRef = ClassImportant, strp("网信安评〔2026〕3号")
		}, DecisionListable, "", "", 0},
		{"TestGate_ShaanxiArt36_3_StateSecret", func(l *Listing) { l.StateSecret = true }, DecisionBlocked, RuleStateSecret, ArticleShaanxi36_3, -1},
		{"TestGate_ShaanxiArt36_3_SensitivePersonalInfoBelowL3", func(l *Listing) {
			l.ContainsPersonalInfo, l.ContainsSensitivePersonalInfo, l.Certificate = true, true, provenCert(true, "L2")
		}, DecisionBlocked, RuleSensitiveBelowL3, ArticleShaanxi36_3, -1},
		{"TestGate_ShaanxiArt36_3_SensitivePersonalInfoAtL3", func(l *Listing) {
			l.ContainsPersonalInfo, l.ContainsSensitivePersonalInfo, l.Certificate = true, true, provenCert(true, "L3")
		}, DecisionListable, "", "", 0},
		{"TestGate_ShaanxiArt36_3_MinorsDataBelowL3", func(l *Listing) {
			l.ContainsMinorsData, l.Certificate = true, provenCert(true, "L1")
		}, DecisionBlocked, RuleMinorsBelowL3, ArticleShaanxi36_3, -1},
		{"TestGate_ShaanxiArt36_3_MinorsDataAtL4", func(l *Listing) {
			l.ContainsMinorsData, l.Certificate = true, provenCert(true, "L4")
		}, DecisionListable, "", "", 0},
		{"TestGate_ShaanxiArt36_3_NegativeListCategory", func(l *Listing) { l.Category = "Human_Genetic_Resources" }, DecisionBlocked, RuleNegativeList, ArticleShaanxi36_3, -1},
		{"TestGate_ShaanxiArt72_ExportIntendedIsClassifiedPerOrderNotAtListing", func(l *Listing) {
			l.ExportIntended, l.ContainsPersonalInfo, l.Certificate = true, true, provenCert(true, "L4")
		}, DecisionListable, "", "", 0},
	}
	rs := DefaultRuleSet()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := mustListableListing(t)
			c.edit(&l)
			if err := l.Validate(); err != nil {
				t.Fatalf("the test's declaration is invalid: %v", err)
			}
			res := Gate(&l, nil, rs, gateAt)
			if got, want := res.Decision, c.decision; got != want {
				t.Fatalf("decision %s, want %s; violations %+v", got, want, res.Violations)
			}
			if res.RuleSetVersion != rs.Version || !res.At.Equal(gateAt) {
				t.Errorf("result records rule set %d at %s, want %d at %s", res.RuleSetVersion, res.At, rs.Version, gateAt)
			}
			if c.rule == "" {
				if len(res.Violations) != 0 {
					t.Errorf("violations %+v, want none", res.Violations)
				}
				return
			}
			i := slices.IndexFunc(res.Violations, func(v Violation) bool { return v.Rule == c.rule })
			if i < 0 {
				t.Fatalf("no violation of rule %s in %+v", c.rule, res.Violations)
			}
			v := res.Violations[i]
			if v.Article != c.article {
				t.Errorf("article %q, want %q", v.Article, c.article)
			}
			switch {
			case c.source < 0 && v.Source != nil:
				t.Errorf("source %d, want none (the listing as a whole)", *v.Source)
			case c.source >= 0 && (v.Source == nil || *v.Source != c.source):
				t.Errorf("source %v, want %d", v.Source, c.source)
			}
			if v.Reason == "" {
				t.Error("empty reason")
			}
		})
	}
}

func TestGate_ShaanxiArt36_1_ReportsEveryViolationNotOnlyTheFirst(t *testing.T) {
	l := mustListableListing(t)
	l.Classification, l.StateSecret = ClassCore, true
	l.Sources = append(l.Sources, Source{Origin: OriginContractLicensed, Disclosure: DisclosureNonPublic})
	res := Gate(&l, nil, DefaultRuleSet(), gateAt)
	var rules []string
	for _, v := range res.Violations {
		rules = append(rules, v.Rule)
	}
	for _, want := range []string{RuleAuthorizationMissing, RuleNonPublicNotAuthorized, RuleCoreData, RuleStateSecret} {
		if !slices.Contains(rules, want) {
			t.Errorf("violations %v lack %s", rules, want)
		}
	}
}

func TestGate_ShaanxiArt36_1_SameListingExpiresBetweenListingAndOrder(t *testing.T) {
	l := mustListableListing(t)
	l.Sources = []Source{{Origin: OriginContractLicensed, Disclosure: DisclosurePublic, Authorization: licensed("2026-01-01", "2026-12-31", "trading")}}
	rs := DefaultRuleSet()
	if res := Gate(&l, nil, rs, gateAt); res.Decision != DecisionListable || res.Err() != nil {
		t.Fatalf("at listing: %s, %v", res.Decision, res.Err())
	}
	later := time.Date(2027, 1, 1, 0, 0, 0, 0, chinaTime)
	res := Gate(&l, nil, rs, later)
	if res.Decision != DecisionBlocked {
		t.Fatalf("at order: %s, want blocked", res.Decision)
	}
	err := res.Err()
	var e *Error
	if !asError(err, &e) || e.Article != ArticleShaanxi36_1 || e.Code != "listing_blocked" {
		t.Errorf("Err() = %v, want a listing_blocked refusal citing %s", err, ArticleShaanxi36_1)
	}
}

func TestGate_ShaanxiArt36_3_NegativeListIsData(t *testing.T) {
	rs := DefaultRuleSet()
	rs.Version = 7
	rs.NegativeList = append(rs.NegativeList, NegativeCategory{Category: "transport", Basis: "operator test"})
	l := mustListableListing(t)
	res := Gate(&l, nil, rs, gateAt)
	if res.Decision != DecisionBlocked || res.RuleSetVersion != 7 {
		t.Errorf("decision %s under rule set %d, want blocked under 7", res.Decision, res.RuleSetVersion)
	}
	if res := Gate(&l, nil, DefaultRuleSet(), gateAt); res.Decision != DecisionListable {
		t.Errorf("under the default rule set: %s, want listable", res.Decision)
	}
}

func TestGate_CertificateArgumentOverridesInlineCertificate(t *testing.T) {
	l := mustListableListing(t)
	l.ContainsPersonalInfo, l.Certificate = true, provenCert(true, "L4")
	if res := Gate(&l, provenCert(false, "L1"), DefaultRuleSet(), gateAt); res.Decision != DecisionBlocked {
		t.Errorf("decision %s, want blocked by the failed certificate given", res.Decision)
	}
}

// asError is errors.As for *Error.
func asError(err error, target **Error) bool { return errors.As(err, target) }
