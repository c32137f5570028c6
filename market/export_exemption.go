package market

import (
	"fmt"
	"slices"
	"strings"
)

// Conditions of the exemptions the buyer declares on its order: the
// 2024 Provisions on Promoting and Regulating Cross-Border Data Flows
// (促进和规范数据跨境流动规定) Art. 5(1)–(3). Personal information that
// "确需" leaves the mainland for one of them needs neither an assessment,
// a standard contract nor a certification, sensitive personal information
// included and whatever the number of individuals; but "前款所称向境外提供
// 的个人信息，不包括重要数据": they never cover important (or core) data.
const (
	// ExemptContractWithIndividual: to conclude or perform a contract to
	// which the individual is a party — cross-border shopping, delivery,
	// remittance, payment, account opening, air and hotel booking, visas,
	// examinations (Art. 5(1)).
	ExemptContractWithIndividual = "declared_contract_with_individual"
	// ExemptCrossBorderHR: cross-border human-resources management under
	// labour rules made and collective contracts concluded according to
	// law (Art. 5(2)).
	ExemptCrossBorderHR = "declared_cross_border_hr"
	// ExemptEmergency: in an emergency, to protect the life, health or
	// property of natural persons (Art. 5(3)).
	ExemptEmergency = "declared_emergency"
)

// declaredCondition reports whether c is a condition the buyer declares
// (Art. 5(1)–(3)) rather than one the classifier finds in the facts.
func declaredCondition(c string) bool {
	return c == ExemptContractWithIndividual || c == ExemptCrossBorderHR || c == ExemptEmergency
}

// ExemptionWord is one justification of a declared exemption: the
// canonical word and its spellings in Chinese and English.
type ExemptionWord struct {
	Value    string   `json:"value"`
	Synonyms []string `json:"synonyms,omitempty"`
}

// ExportExemptionClaim is the exemption a buyer declares on its order
// (2024 Provisions Art. 5(1)–(3)): the rule set's exemption id and why it
// applies, as words of that exemption's justification vocabulary.
type ExportExemptionClaim struct {
	Exemption     string   `json:"exemption"`
	Justification []string `json:"justification"`
}

// DeclaredExemption is a claim the rule set knows: the exemption and the
// canonical justification words (ResolveExemptionClaim).
type DeclaredExemption struct {
	Exemption     ExportExemption
	Justification []string
}

// ResolveExemptionClaim checks c against the exemptions of r: the exemption must be
// one the buyer may declare, and every justification word one of its
// vocabulary (compared folded, FoldTerm). An unknown exemption or word is
// an ErrInvalid *Error citing Shaanxi Art. 72 and naming it; a nil claim
// is no claim.
func ResolveExemptionClaim(r *ExportRules, c *ExportExemptionClaim) (*DeclaredExemption, error) {
	if c == nil {
		return nil, nil
	}
	var known []string
	var ex *ExportExemption
	for i := range r.Exemptions {
		e := &r.Exemptions[i]
		if !declaredCondition(e.Condition) {
			continue
		}
		known = append(known, e.ID)
		if FoldTerm(e.ID) == FoldTerm(c.Exemption) {
			ex = e
		}
	}
	if ex == nil {
		err := Invalid("export_exemption.exemption", "unknown_export_exemption",
			"export_exemption.exemption: %q is not an exemption a buyer declares in the rule set; want one of %s (2024 Provisions Art. 5(1)–(3))",
			c.Exemption, strings.Join(known, ", "))
		err.Article = ArticleShaanxi72
		return nil, err
	}
	if len(c.Justification) == 0 {
		err := Invalid("export_exemption.justification", "missing_field",
			"export_exemption.justification: say why exemption %s applies, in its words: %s", ex.ID, justificationWords(ex))
		err.Article = ArticleShaanxi72
		return nil, err
	}
	d := &DeclaredExemption{Exemption: *ex}
	for i, w := range c.Justification {
		v, ok := ex.justification(w)
		if !ok {
			err := Invalid(fmt.Sprintf("export_exemption.justification[%d]", i), "unknown_justification",
				"export_exemption.justification[%d]: %q is not a justification of exemption %s in the rule set; known: %s",
				i, strings.TrimSpace(w), ex.ID, justificationWords(ex))
			err.Article = ArticleShaanxi72
			return nil, err
		}
		if !slices.Contains(d.Justification, v) {
			d.Justification = append(d.Justification, v)
		}
	}
	return d, nil
}

// justification returns the canonical word of e's vocabulary for w.
func (e *ExportExemption) justification(w string) (string, bool) {
	f := FoldTerm(w)
	if f == "" {
		return "", false
	}
	for _, j := range e.Justifications {
		if FoldTerm(j.Value) == f || slices.ContainsFunc(j.Synonyms, func(s string) bool { return FoldTerm(s) == f }) {
			return j.Value, true
		}
	}
	return "", false
}

func justificationWords(e *ExportExemption) string {
	ws := make([]string, 0, len(e.Justifications))
	for _, j := range e.Justifications {
		ws = append(ws, j.Value)
	}
	return strings.Join(ws, ", ")
}
