package market

import (
	"fmt"
	"strings"
)

// ExportRules are the national rules on cross-border data flows that
// Shaanxi Art. 72 ("依法") refers to, kept as rule-set data with their
// sources: the thresholds of personal information counted per seller
// since 1 January, and the exemptions. A nil *ExportRules (a rule set
// written before them) means DefaultExportRules.
type ExportRules struct {
	// AssessmentPersonal: this many individuals' personal information
	// (not sensitive) or more, exported since 1 January, needs a security
	// assessment (1,000,000, "100万人以上").
	AssessmentPersonal int64 `json:"assessment_personal"`
	// AssessmentSensitive: this many individuals' sensitive personal
	// information or more needs a security assessment (10,000).
	AssessmentSensitive int64 `json:"assessment_sensitive"`
	// ContractPersonal: this many individuals' personal information or
	// more (below AssessmentPersonal) needs a standard contract or a
	// certification (100,000); fewer is exempt.
	ContractPersonal int64 `json:"contract_personal"`
	// ContractSensitive: this many individuals' sensitive personal
	// information or more (below AssessmentSensitive) needs a standard
	// contract or a certification (1: any).
	ContractSensitive int64 `json:"contract_sensitive"`
	// ThresholdSource cites where the thresholds come from.
	ThresholdSource string `json:"threshold_source"`
	// ImportantDataSource cites the rule that important data leaving the
	// mainland needs a security assessment.
	ImportantDataSource string `json:"important_data_source"`
	// Exemptions are the exports that need neither a contract nor an
	// assessment, each with its source.
	Exemptions []ExportExemption `json:"exemptions"`
}

// Exemption conditions the classifier knows.
const (
	// ExemptNoPersonalNoImportant: the data holds neither personal
	// information nor important data (2024 Provisions Art. 3).
	ExemptNoPersonalNoImportant = "no_personal_info_no_important_data"
	// ExemptPersonalBelowThreshold: fewer than ContractPersonal
	// individuals' personal information and no sensitive personal
	// information since 1 January (2024 Provisions Art. 5(4)).
	ExemptPersonalBelowThreshold = "personal_info_below_threshold"
)

// ExportExemption is one exemption: its condition (one the classifier
// knows) and its source in law.
type ExportExemption struct {
	ID        string `json:"id"`
	Condition string `json:"condition"`
	Source    string `json:"source"`
	// Justifications are the words a buyer may give for an exemption it
	// declares (a declared condition, export_exemption.go).
	Justifications []ExemptionWord `json:"justifications,omitempty"`
}

// exemption returns the exemption of the rules for condition, if any.
func (r *ExportRules) exemption(condition string) (ExportExemption, bool) {
	for _, e := range r.Exemptions {
		if e.Condition == condition {
			return e, true
		}
	}
	return ExportExemption{}, false
}

// ExportRulesOf returns the export rules of rs, or the rules of the
// default rule set when rs has none.
func ExportRulesOf(rs *RuleSet) *ExportRules {
	if rs != nil && rs.Export != nil {
		return rs.Export
	}
	return DefaultRuleSet().Export
}

// validate checks the thresholds (positive, contract below assessment)
// and the exemptions (an id, a known condition, a source). A nil rule is
// valid (the default applies).
func (r *ExportRules) validate() error {
	if r == nil {
		return nil
	}
	switch {
	case r.ContractPersonal < 1 || r.AssessmentPersonal <= r.ContractPersonal:
		return Invalid("export.contract_personal", "invalid_ruleset", "export: want 1 ≤ contract_personal < assessment_personal, got %d and %d", r.ContractPersonal, r.AssessmentPersonal)
	case r.ContractSensitive < 1 || r.AssessmentSensitive <= r.ContractSensitive:
		return Invalid("export.contract_sensitive", "invalid_ruleset", "export: want 1 ≤ contract_sensitive < assessment_sensitive, got %d and %d", r.ContractSensitive, r.AssessmentSensitive)
	case strings.TrimSpace(r.ThresholdSource) == "" || strings.TrimSpace(r.ImportantDataSource) == "":
		return Invalid("export.threshold_source", "invalid_ruleset", "export: cite the sources of the thresholds and of the important-data rule")
	}
	for i, e := range r.Exemptions {
		f := fmt.Sprintf("export.exemptions[%d]", i)
		if strings.TrimSpace(e.ID) == "" || strings.TrimSpace(e.Source) == "" {
			return Invalid(f, "invalid_ruleset", "%s: want an id and its source in law", f)
		}
		switch {
		case e.Condition == ExemptNoPersonalNoImportant || e.Condition == ExemptPersonalBelowThreshold:
		case declaredCondition(e.Condition):
			if len(e.Justifications) == 0 {
				return Invalid(f+".justifications", "invalid_ruleset", "%s: a declared exemption needs the words that justify it", f)
			}
			for j, w := range e.Justifications {
				if strings.TrimSpace(w.Value) == "" {
					return Invalid(fmt.Sprintf("%s.justifications[%d]", f, j), "invalid_ruleset", "%s.justifications[%d]: empty word", f, j)
				}
			}
		default:
			return Invalid(f+".condition", "invalid_ruleset", "%s.condition: %q, want %s, %s, %s, %s or %s", f, e.Condition,
				ExemptNoPersonalNoImportant, ExemptPersonalBelowThreshold, ExemptContractWithIndividual, ExemptCrossBorderHR, ExemptEmergency)
		}
	}
	return nil
}
