package market

import (
	"strings"
	"testing"

	"github.com/google/uuid"
)

// The cases of issue 15, and the provenance rules, each named after its article.
func TestGate_Provenance(t *testing.T) {
	seller := PartyID(uuid.New())
	other := PartyID(uuid.New())
	resold, internal, foreign, refunded, odd := uuid.New(), uuid.New(), uuid.New(), uuid.New(), uuid.New()
	records := &ProvenanceRecords{Seller: seller, Checked: true, Orders: map[string]PurchaseRecord{
		resold.String():   {OrderID: resold, BuyerID: seller, SellerID: other, State: OrderSettled, LicenceTerms: "转售许可 v1", LicenceScope: []string{"转售"}},
		internal.String(): {OrderID: internal, BuyerID: seller, SellerID: other, State: OrderSettled, LicenceTerms: "标准许可 v1", LicenceScope: []string{"internal_use", "analytics"}},
		foreign.String():  {OrderID: foreign, BuyerID: other, SellerID: seller, State: OrderSettled, LicenceScope: []string{"resale"}},
		refunded.String(): {OrderID: refunded, BuyerID: seller, SellerID: other, State: OrderRefunded, LicenceScope: []string{"resale"}},
		odd.String():      {OrderID: odd, BuyerID: seller, SellerID: other, State: OrderSettled, LicenceScope: []string{"metaverse_rights"}},
	}}
	basis := &Collection{Basis: BasisConsentRecord, Reference: "同意记录库 2026", NoticeRef: "隐私政策 v3"}
	bought := func(id uuid.UUID) func(l *Listing) {
		return func(l *Listing) {
			l.Provenance = records
			l.Sources = []Source{{Origin: OriginExchangePurchase, Disclosure: DisclosureNonPublic, OrderID: id.String()}}
		}
	}
	cases := []struct {
		name     string
		edit     func(l *Listing)
		decision Decision
		rule     string
	}{
		{"TestGate_ShaanxiArt36_1_LicensedDataDeclaredOwnWithoutAuthorizationGoesToReview", func(l *Listing) {
			l.Sources = []Source{{Origin: OriginContractLicensed, OwnData: true, Disclosure: DisclosureNonPublic, Collection: basis}}
		}, DecisionReview, RuleOwnNamesAnotherParty},
		{"TestGate_ShaanxiArt36_1_OwnDataNamingAGrantorGoesToReview", func(l *Listing) {
			l.Sources = []Source{{Origin: OriginSelfCollected, OwnData: true, Disclosure: DisclosureNonPublic, Collection: basis, Grantor: "某某出行科技有限公司"}}
		}, DecisionReview, RuleOwnNamesAnotherParty},
		{"TestGate_ShaanxiArt36_1_OwnDataWithoutCollectionBasisGoesToReview", func(l *Listing) {
			l.Sources = []Source{{Origin: OriginSelfCollected, OwnData: true, Disclosure: DisclosureNonPublic}}
		}, DecisionReview, RuleOwnWithoutCollectionBasis},
		{"TestGate_ShaanxiArt36_1_OwnPersonalInfoWithoutNoticeGoesToReview", func(l *Listing) {
			l.ContainsPersonalInfo, l.Certificate = true, provenCert(true, "L3")
			l.Sources[0].Collection = &Collection{Basis: BasisConsentRecord, Reference: "同意记录库 2026"}
		}, DecisionReview, RuleOwnWithoutNotice},
		{"TestGate_ShaanxiArt36_1_OwnDataMatchingAnotherPartysProductGoesToReview", func(l *Listing) {
			l.Provenance = &ProvenanceRecords{Seller: seller, Checked: true, Copies: []ListedCopy{{ListingID: uuid.New(), SellerID: other}}}
		}, DecisionReview, RuleOwnMatchesListedProduct},
		{"TestGate_ShaanxiArt36_1_OwnDataMatchingTheSellersOwnProductIsListable", func(l *Listing) {
			l.Provenance = &ProvenanceRecords{Seller: seller, Checked: true, Copies: []ListedCopy{{ListingID: uuid.New(), SellerID: seller}}}
		}, DecisionListable, ""},
		{"TestGate_ShaanxiArt36_1_LicensedFromAnotherGrantorThanTheAuthorizations", func(l *Listing) {
			l.Sources = []Source{{Origin: OriginContractLicensed, Disclosure: DisclosureNonPublic, Grantor: "另一家公司",
				Authorization: licensed("2026-01-01", "2027-12-31", "trading")}}
		}, DecisionBlocked, RuleLicensedGrantorMismatch},
		{"TestGate_ShaanxiArt36_1_LicensedFromTheAuthorizationsGrantor", func(l *Listing) {
			l.Sources = []Source{{Origin: OriginContractLicensed, Disclosure: DisclosureNonPublic, Grantor: "某某科技有限公司",
				Authorization: licensed("2026-01-01", "2027-12-31", "trading")}}
		}, DecisionListable, ""},
		{"TestGate_ShaanxiArt36_1_BoughtHereWithoutOrderIsBlocked", func(l *Listing) {
			l.Sources = []Source{{Origin: OriginExchangePurchase, Disclosure: DisclosureNonPublic}}
		}, DecisionBlocked, RulePurchaseWithoutOrder},
		{"TestGate_ShaanxiArt36_1_BoughtHereUnderAResaleLicenceIsListable", bought(resold), DecisionListable, ""},
		{"TestGate_ShaanxiArt36_1_BoughtHereUnderAnInternalUseLicenceIsBlocked", bought(internal), DecisionBlocked, RulePurchaseLicenceNoResale},
		{"TestGate_ShaanxiArt36_1_BoughtHereByAnotherPartyIsBlocked", bought(foreign), DecisionBlocked, RulePurchaseOrderUnknown},
		{"TestGate_ShaanxiArt36_1_BoughtHereButRefundedIsBlocked", bought(refunded), DecisionBlocked, RulePurchaseOrderUnknown},
		{"TestGate_ShaanxiArt36_1_BoughtHereOrderUnknownToThePlatformIsBlocked", bought(uuid.New()), DecisionBlocked, RulePurchaseOrderUnknown},
		{"TestGate_ShaanxiArt36_1_BoughtHereUnderAnUnknownLicenceWordGoesToReview", bought(odd), DecisionReview, RulePurchaseLicenceUnknown},
		{"TestGate_ShaanxiArt36_1_BoughtHereOfflineGoesToReview", func(l *Listing) {
			bought(resold)(l)
			l.Provenance = nil
		}, DecisionReview, RulePurchaseUnchecked},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := mustListableListing(t)
			c.edit(&l)
			res := Gate(&l, nil, DefaultRuleSet(), gateAt)
			if res.Decision != c.decision {
				t.Fatalf("decision %s, want %s: %+v", res.Decision, c.decision, res.Violations)
			}
			if c.rule == "" {
				return
			}
			if v := findViolation(res, c.rule); v == nil || v.Article != ArticleShaanxi36_1 || v.Source == nil {
				t.Fatalf("no %s violation on a source citing %s: %+v", c.rule, ArticleShaanxi36_1, res.Violations)
			}
		})
	}
}

// Shaanxi Art. 36(2): conditionally opened government data, approved for
// the applicant's own research, may not be put up for resale.
func TestGate_GovernmentApprovalDeclared(t *testing.T) {
	approval := func(purposes ...string) *DeclaredApproval {
		return &DeclaredApproval{Issuer: "西安市数据局", Number: "市数开〔2026〕7号", Date: MustDate("2026-02-01"),
			ValidFrom: MustDate("2026-02-01"), ValidTo: MustDate("2027-01-31"), Purposes: purposes}
	}
	cases := []struct {
		name     string
		ap       *DeclaredApproval
		decision Decision
		rule     string
	}{
		{"TestGate_ShaanxiArt36_2_ApprovalForOwnResearchThenResoldIsBlocked", approval("内部研究", "科研"), DecisionBlocked, RuleGovernmentApprovalNoResale},
		{"TestGate_ShaanxiArt36_2_ApprovalPermittingResaleIsListable", approval("research", "转售"), DecisionListable, ""},
		{"TestGate_ShaanxiArt36_2_ApprovalWithUnknownPurposeGoesToReview", approval("开发利用"), DecisionReview, RuleGovernmentApprovalPurposeUnknown},
		{"TestGate_ShaanxiArt36_2_ApprovalWithoutNumberGoesToReview", func() *DeclaredApproval { a := approval("resale"); a.Number = ""; return a }(), DecisionReview, RuleGovernmentApprovalUndeclared},
		{"TestGate_ShaanxiArt36_2_ApprovalExpiredIsBlocked", func() *DeclaredApproval { a := approval("resale"); a.ValidTo = MustDate("2026-11-22"); return a }(), DecisionBlocked, RuleGovernmentApprovalExpired},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := mustListableListing(t)
			l.Sources = []Source{{Origin: OriginGovernmentOpen, Disclosure: DisclosurePublic,
				Government: &Government{CatalogID: "XA-KF-0091", OpenClass: OpenConditional, Approval: c.ap}}}
			res := Gate(&l, nil, DefaultRuleSet(), gateAt)
			if res.Decision != c.decision {
				t.Fatalf("decision %s, want %s: %+v", res.Decision, c.decision, res.Violations)
			}
			if c.rule != "" {
				v := findViolation(res, c.rule)
				if v == nil || v.Article != ArticleShaanxi36_2 {
					t.Fatalf("no %s violation citing %s: %+v", c.rule, ArticleShaanxi36_2, res.Violations)
				}
				if c.rule == RuleGovernmentApprovalNoResale && !strings.Contains(v.Reason, c.ap.Number) {
					t.Errorf("reason %q does not name the approval", v.Reason)
				}
			}
		})
	}
}
