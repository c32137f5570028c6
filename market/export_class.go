package market

import (
	"fmt"
	"time"
)

// ExportClass is the class of an order under Shaanxi Art. 72 and the
// national rules on cross-border data flows it refers to.
type ExportClass string

// Export classes.
const (
	// ExportNone: the data does not leave the mainland.
	ExportNone ExportClass = "not_export"
	// ExportExempt: an export that needs neither a contract nor an
	// assessment (2024 Provisions Art. 3, Art. 5).
	ExportExempt ExportClass = "exempt"
	// ExportStandardContract: an export of personal information that needs
	// the seller's standard contract filing or certification (2024
	// Provisions Art. 8; PIPL Art. 38).
	ExportStandardContract ExportClass = "standard_contract_or_certification"
	// ExportSecurityAssessment: an export that needs the seller's passed
	// security assessment: important data, or personal information above
	// the thresholds (2024 Provisions Art. 7; Assessment Measures Art. 4).
	ExportSecurityAssessment ExportClass = "security_assessment"
)

// ExportFacts are the facts an order is classified on: who receives the
// data and where it goes, what the data holds, and how many individuals'
// personal information the seller has exported since 1 January before
// this order (counted per seller across its exports).
type ExportFacts struct {
	BuyerOverseas bool
	// BuyerControllerOverseas: the buyer is registered on the mainland but
	// its controlling party is overseas.
	BuyerControllerOverseas bool
	// OnwardTransfer: the buyer declared it will pass the data abroad.
	OnwardTransfer bool
	// ExportIntended: the listing is marked for export.
	ExportIntended    bool
	Classification    Classification
	PersonalInfo      bool
	SensitiveInfo     bool
	PersonalSubjects  int64
	SensitiveSubjects int64
	PriorPersonal     int64
	PriorSensitive    int64
	// Declared is the exemption of 2024 Provisions Art. 5(1)–(3) the
	// buyer declared (ResolveExemptionClaim), nil when none.
	Declared *DeclaredExemption
}

// ExportDecision is the classification of one order: the class, why the
// order is (or is not) an export, the rule that decided and its source,
// the exemption applied, the cumulative counts including this order, and,
// once checked, the seller's filing that covers it.
type ExportDecision struct {
	Class     ExportClass `json:"class"`
	Why       string      `json:"why"`
	Basis     string      `json:"basis"`
	Exemption string      `json:"exemption,omitempty"`
	// Justification: the words the buyer gave for the exemption of 2024
	// Provisions Art. 5(1)–(3) it declared, when that exemption applied.
	Justification []string `json:"justification,omitempty"`
	// DeclaredNotApplied says why an exemption the buyer declared did not
	// apply (important data; no personal information to exempt).
	DeclaredNotApplied  string        `json:"declared_not_applied,omitempty"`
	CumulativePersonal  int64         `json:"cumulative_personal"`
	CumulativeSensitive int64         `json:"cumulative_sensitive"`
	Filing              *ExportFiling `json:"filing,omitempty"`
}

// NeedsFiling reports whether the class needs the seller's filing or
// assessment result.
func (d ExportDecision) NeedsFiling() bool {
	return d.Class == ExportStandardContract || d.Class == ExportSecurityAssessment
}

// exportWhy says why an order is an export, or "" when it is not.
func (f ExportFacts) exportWhy() string {
	switch {
	case f.BuyerOverseas:
		return "the buyer's party is overseas"
	case f.OnwardTransfer:
		return "the buyer, registered on the mainland, declared it will transfer the data abroad"
	case f.BuyerControllerOverseas:
		return "the buyer, registered on the mainland, is controlled by an overseas party"
	case f.ExportIntended:
		return "the listing is marked for export"
	}
	return ""
}

// ClassifyExport classifies an order under Shaanxi Art. 72 by rules r
// (ExportRulesOf): not an export; an export of important data, or of
// personal information at or above the assessment thresholds counted since
// 1 January, needs a security assessment; at or above the contract
// thresholds, a standard contract or a certification; anything else is
// exempt where r holds the exemption. Personal information whose number
// of individuals is not declared is counted as above every threshold.
// A pure function, safe for concurrent use.
func ClassifyExport(f ExportFacts, r *ExportRules) ExportDecision {
	why := f.exportWhy()
	if why == "" {
		return NotExportDecision()
	}
	d := ExportDecision{Why: why}
	if f.PersonalInfo || f.SensitiveInfo {
		d.CumulativePersonal = f.PriorPersonal + f.PersonalSubjects
	}
	if f.SensitiveInfo {
		d.CumulativeSensitive = f.PriorSensitive + f.SensitiveSubjects
	}
	if f.Declared != nil {
		e := f.Declared.Exemption
		switch {
		case f.Classification == ClassImportant || f.Classification == ClassCore:
			d.DeclaredNotApplied = e.ID + " does not cover important data (2024 Provisions Art. 5, last paragraph: 不包括重要数据)"
		case !f.PersonalInfo && !f.SensitiveInfo:
			d.DeclaredNotApplied = e.ID + " exempts personal information; the data holds none"
		default:
			// Exempt whatever the number of individuals, sensitive personal
			// information included; not counted towards the thresholds.
			d.Class, d.Basis, d.Exemption, d.Justification = ExportExempt, e.Source, e.ID, f.Declared.Justification
			d.CumulativePersonal, d.CumulativeSensitive = f.PriorPersonal, f.PriorSensitive
			return d
		}
	}
	undeclared := f.PersonalInfo && f.PersonalSubjects <= 0 && !f.SensitiveInfo || f.SensitiveInfo && f.SensitiveSubjects <= 0
	switch {
	case f.Classification == ClassImportant || f.Classification == ClassCore:
		d.Class, d.Basis = ExportSecurityAssessment, "important data: "+r.ImportantDataSource
	case undeclared:
		d.Class, d.Basis = ExportSecurityAssessment, "personal information whose number of individuals the listing does not declare counts as above the thresholds: "+r.ThresholdSource
	case d.CumulativePersonal >= r.AssessmentPersonal:
		d.Class, d.Basis = ExportSecurityAssessment, fmt.Sprintf("%d individuals' personal information since 1 January, at least %d: %s", d.CumulativePersonal, r.AssessmentPersonal, r.ThresholdSource)
	case d.CumulativeSensitive >= r.AssessmentSensitive:
		d.Class, d.Basis = ExportSecurityAssessment, fmt.Sprintf("%d individuals' sensitive personal information since 1 January, at least %d: %s", d.CumulativeSensitive, r.AssessmentSensitive, r.ThresholdSource)
	case d.CumulativeSensitive >= r.ContractSensitive:
		d.Class, d.Basis = ExportStandardContract, fmt.Sprintf("%d individuals' sensitive personal information since 1 January, below %d: %s", d.CumulativeSensitive, r.AssessmentSensitive, r.ThresholdSource)
	case d.CumulativePersonal >= r.ContractPersonal:
		d.Class, d.Basis = ExportStandardContract, fmt.Sprintf("%d individuals' personal information since 1 January, at least %d and below %d: %s", d.CumulativePersonal, r.ContractPersonal, r.AssessmentPersonal, r.ThresholdSource)
	case f.PersonalInfo || f.SensitiveInfo:
		if e, ok := r.exemption(ExemptPersonalBelowThreshold); ok {
			d.Class, d.Basis, d.Exemption = ExportExempt, e.Source, e.ID
		} else {
			d.Class, d.Basis = ExportStandardContract, "personal information leaving the mainland and no exemption in the rule set: PIPL Art. 38"
		}
	default:
		d.Class, d.Basis = ExportExempt, "neither personal information nor important data"
		if e, ok := r.exemption(ExemptNoPersonalNoImportant); ok {
			d.Basis, d.Exemption = e.Source, e.ID
		}
	}
	return d
}

// NotExportDecision is the decision on an order that does not leave the
// mainland: what ClassifyExport returns for it, and what an order stored
// as not exported reads back as (only exports are kept in order_exports).
func NotExportDecision() ExportDecision {
	return ExportDecision{Class: ExportNone, Why: "the buyer is on the mainland, declares no onward transfer and has no overseas controlling party, and the listing is not marked for export", Basis: ArticleShaanxi72}
}

// YearStart returns 1 January 00:00 China Standard Time of the year of t:
// the start of the cumulative counts of the 2024 Provisions.
func YearStart(t time.Time) time.Time {
	return time.Date(t.In(chinaTime).Year(), 1, 1, 0, 0, 0, 0, chinaTime).UTC()
}
