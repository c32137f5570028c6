package market

import (
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"
)

// Shaanxi Art. 72 and the national rules it refers to: every order is
// classified, and the thresholds are tested at each boundary.
func TestClassifyExport_ShaanxiArt72(t *testing.T) {
	r := ExportRulesOf(DefaultRuleSet())
	pi := func(prior, n int64) ExportFacts {
		return ExportFacts{BuyerOverseas: true, Classification: ClassGeneral, PersonalInfo: true, PersonalSubjects: n, PriorPersonal: prior}
	}
	spi := func(prior, n int64) ExportFacts {
		return ExportFacts{BuyerOverseas: true, Classification: ClassGeneral, PersonalInfo: true, SensitiveInfo: true,
			PersonalSubjects: n, SensitiveSubjects: n, PriorSensitive: prior}
	}
	cases := []struct {
		name  string
		facts ExportFacts
		want  ExportClass
	}{
		{"TestClassifyExport_ShaanxiArt72_DomesticBuyerIsNoExport", ExportFacts{Classification: ClassGeneral, PersonalInfo: true, PersonalSubjects: 5}, ExportNone},
		{"TestClassifyExport_ShaanxiArt72_OverseasBuyerOfGeneralNonPersonalDataIsExempt", ExportFacts{BuyerOverseas: true, Classification: ClassGeneral}, ExportExempt},
		{"TestClassifyExport_ShaanxiArt72_MainlandBuyerDeclaringOnwardTransferIsAnExport", ExportFacts{OnwardTransfer: true, Classification: ClassImportant}, ExportSecurityAssessment},
		{"TestClassifyExport_ShaanxiArt72_MainlandBuyerWithOverseasControllerIsAnExport", ExportFacts{BuyerControllerOverseas: true, Classification: ClassGeneral}, ExportExempt},
		{"TestClassifyExport_ShaanxiArt72_ListingMarkedForExportIsAnExport", ExportFacts{ExportIntended: true, Classification: ClassGeneral}, ExportExempt},
		{"TestClassifyExport_ShaanxiArt72_ImportantDataNeedsAssessment", ExportFacts{BuyerOverseas: true, Classification: ClassImportant}, ExportSecurityAssessment},
		{"TestClassifyExport_ShaanxiArt72_Personal99999IsExempt", pi(0, 99_999), ExportExempt},
		{"TestClassifyExport_ShaanxiArt72_Personal100000NeedsContract", pi(0, 100_000), ExportStandardContract},
		{"TestClassifyExport_ShaanxiArt72_PersonalCumulativeCrosses100000", pi(99_999, 1), ExportStandardContract},
		{"TestClassifyExport_ShaanxiArt72_Personal999999NeedsContract", pi(999_998, 1), ExportStandardContract},
		{"TestClassifyExport_ShaanxiArt72_Personal1000000NeedsAssessment", pi(999_999, 1), ExportSecurityAssessment},
		{"TestClassifyExport_ShaanxiArt72_OneSensitiveNeedsContract", spi(0, 1), ExportStandardContract},
		{"TestClassifyExport_ShaanxiArt72_Sensitive9999NeedsContract", spi(9_998, 1), ExportStandardContract},
		{"TestClassifyExport_ShaanxiArt72_Sensitive10000NeedsAssessment", spi(9_999, 1), ExportSecurityAssessment},
		{"TestClassifyExport_ShaanxiArt72_UndeclaredCountNeedsAssessment", pi(0, 0), ExportSecurityAssessment},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := ClassifyExport(c.facts, r)
			if d.Class != c.want {
				t.Fatalf("class %s, want %s (%s; %s)", d.Class, c.want, d.Why, d.Basis)
			}
			if d.Basis == "" || (c.want != ExportNone && d.Why == "") {
				t.Errorf("no basis or reason: %+v", d)
			}
		})
	}
}

func TestClassifyExport_ShaanxiArt72_ExemptionsAreData(t *testing.T) {
	rs := DefaultRuleSet()
	rs.Export.Exemptions = []ExportExemption{rs.Export.Exemptions[0]} // drop the Art. 5(4) exemption
	d := ClassifyExport(ExportFacts{BuyerOverseas: true, Classification: ClassGeneral, PersonalInfo: true, PersonalSubjects: 10}, rs.Export)
	if d.Class != ExportStandardContract {
		t.Errorf("without the below-threshold exemption: %s, want %s", d.Class, ExportStandardContract)
	}
	rs.Export.ContractPersonal = rs.Export.AssessmentPersonal
	if err := rs.Validate(); err == nil {
		t.Error("a contract threshold not below the assessment threshold was accepted")
	}
}

// Shaanxi Art. 72: the evidence is the seller's registered filing, of the
// kind the class needs, covering the listing, in force at order time.
func TestCheckFiling_ShaanxiArt72(t *testing.T) {
	seller, other := PartyID(uuid.New()), PartyID(uuid.New())
	listing := uuid.New()
	at := time.Date(2026, 12, 4, 2, 0, 0, 0, time.UTC)
	filing := func(kind FilingKind, owner PartyID, l uuid.UUID, to string) ExportFiling {
		return ExportFiling{ID: uuid.New(), SellerID: owner, Kind: kind, Issuer: "陕西省互联网信息办公室", Number: "陕网信备〔2026〕001",
			ListingIDs: []uuid.UUID{l}, ValidFrom: MustDate("2026-01-01"), ValidTo: MustDate(to)}
	}
	contract := ExportDecision{Class: ExportStandardContract, Why: "the buyer's party is overseas"}
	assess := ExportDecision{Class: ExportSecurityAssessment, Why: "the buyer's party is overseas"}
	cases := []struct {
		name    string
		d       ExportDecision
		filings []ExportFiling
		code    string
	}{
		{"TestCheckFiling_ShaanxiArt72_ExemptNeedsNothing", ExportDecision{Class: ExportExempt}, nil, ""},
		{"TestCheckFiling_ShaanxiArt72_ContractFilingCovers", contract, []ExportFiling{filing(FilingStandardContract, seller, listing, "2027-12-31")}, ""},
		{"TestCheckFiling_ShaanxiArt72_CertificationCovers", contract, []ExportFiling{filing(FilingCertification, seller, listing, "2027-12-31")}, ""},
		{"TestCheckFiling_ShaanxiArt72_NoFilingIsRefused", contract, nil, "export_filing_required"},
		{"TestCheckFiling_ShaanxiArt72_AnotherSellersFilingDoesNotCount", contract, []ExportFiling{filing(FilingStandardContract, other, listing, "2027-12-31")}, "export_filing_required"},
		{"TestCheckFiling_ShaanxiArt72_FilingForAnotherListingDoesNotCount", contract, []ExportFiling{filing(FilingStandardContract, seller, uuid.New(), "2027-12-31")}, "export_filing_required"},
		{"TestCheckFiling_ShaanxiArt72_ExpiredFilingDoesNotCount", contract, []ExportFiling{filing(FilingStandardContract, seller, listing, "2026-12-03")}, "export_filing_required"},
		{"TestCheckFiling_ShaanxiArt72_ContractDoesNotAnswerAnAssessment", assess, []ExportFiling{filing(FilingStandardContract, seller, listing, "2027-12-31")}, "export_assessment_required"},
		{"TestCheckFiling_ShaanxiArt72_AssessmentCovers", assess, []ExportFiling{filing(FilingSecurityAssessment, seller, listing, "2027-12-31")}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := CheckFiling(c.d, c.filings, seller, listing, at)
			if c.code == "" {
				if err != nil || (c.d.NeedsFiling() && f == nil) {
					t.Fatalf("filing %v, err %v; want the filing", f, err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Code != c.code || e.Article != ArticleShaanxi72 || !errors.Is(err, ErrRefused) {
				t.Fatalf("err %v, want %s citing %s", err, c.code, ArticleShaanxi72)
			}
		})
	}
}
