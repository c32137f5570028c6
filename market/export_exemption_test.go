package market

import (
	"errors"
	"strings"
	"testing"
)

// 2024 Provisions Art. 5(1)–(3): personal information that must leave the
// mainland for a contract with the individual, cross-border HR management
// or an emergency is exempt, sensitive personal information included and
// whatever the number of individuals; never important data.
func TestClassifyExport_ShaanxiArt72_2024ProvisionsArt5_1To3_DeclaredExemptions(t *testing.T) {
	rules := DefaultRuleSet().Export
	cases := []struct {
		name, exemption string
		words           []string
		want            []string
	}{
		{"TestClassifyExport_ShaanxiArt72_2024ProvisionsArt5_1_ContractWithTheIndividual", "contract-with-individual", []string{"跨境购物", "Cross-Border Payment"}, []string{"cross_border_shopping", "cross_border_payment"}},
		{"TestClassifyExport_ShaanxiArt72_2024ProvisionsArt5_2_CrossBorderHR", "cross-border-hr", []string{"依法制定的劳动规章制度", "employee data"}, []string{"labour_rules", "employee_personal_information"}},
		{"TestClassifyExport_ShaanxiArt72_2024ProvisionsArt5_3_Emergency", "emergency", []string{"生命健康"}, []string{"protect_life_health"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			declared, err := ResolveExemptionClaim(rules, &ExportExemptionClaim{Exemption: c.exemption, Justification: c.words})
			if err != nil {
				t.Fatal(err)
			}
			// Well above every threshold, sensitive included: still exempt,
			// and this order is not added to the seller's counts.
			f := ExportFacts{BuyerOverseas: true, PersonalInfo: true, SensitiveInfo: true,
				PersonalSubjects: 2_000_000, SensitiveSubjects: 50_000, PriorPersonal: 10, PriorSensitive: 3, Declared: declared}
			d := ClassifyExport(f, rules)
			if d.Class != ExportExempt || d.Exemption != c.exemption || strings.Join(d.Justification, ",") != strings.Join(c.want, ",") ||
				!strings.Contains(d.Basis, "Art. 5(") || d.CumulativePersonal != 10 || d.CumulativeSensitive != 3 {
				t.Errorf("decision %+v: want exempt under %s with %v, counts unchanged", d, c.exemption, c.want)
			}
			// Important data is not covered (Art. 5, last paragraph).
			f.Classification = ClassImportant
			if d := ClassifyExport(f, rules); d.Class != ExportSecurityAssessment || d.Exemption != "" || !strings.Contains(d.DeclaredNotApplied, "important data") {
				t.Errorf("important data under %s: %+v, want a security assessment and the exemption not applied", c.exemption, d)
			}
			// An unknown justification is refused, naming the word.
			_, err = ResolveExemptionClaim(rules, &ExportExemptionClaim{Exemption: c.exemption, Justification: append([]string{c.words[0]}, "商业需要")})
			var me *Error
			if !errors.As(err, &me) || !errors.Is(err, ErrInvalid) || me.Field != "export_exemption.justification[1]" ||
				me.Code != "unknown_justification" || !strings.Contains(me.Message, "商业需要") || me.Article != ArticleShaanxi72 {
				t.Errorf("unknown word: %v, want invalid naming 商业需要 at justification[1]", err)
			}
		})
	}
	t.Run("TestClassifyExport_ShaanxiArt72_2024ProvisionsArt5_OnlyArt5_1To3AreDeclared", func(t *testing.T) {
		for _, id := range []string{"ordinary-data", "personal-info-below-100k", "research"} {
			_, err := ResolveExemptionClaim(rules, &ExportExemptionClaim{Exemption: id, Justification: []string{"跨境购物"}})
			var me *Error
			if !errors.As(err, &me) || me.Code != "unknown_export_exemption" || !strings.Contains(me.Message, id) {
				t.Errorf("declaring %s: %v, want unknown_export_exemption", id, err)
			}
		}
		if _, err := ResolveExemptionClaim(rules, &ExportExemptionClaim{Exemption: "emergency"}); !errors.Is(err, ErrInvalid) {
			t.Errorf("no justification: %v, want invalid", err)
		}
	})
	t.Run("TestClassifyExport_ShaanxiArt72_2024ProvisionsArt3_DeclaredExemptionOnDataWithoutPersonalInfo", func(t *testing.T) {
		declared, _ := ResolveExemptionClaim(rules, &ExportExemptionClaim{Exemption: "emergency", Justification: []string{"财产安全"}})
		d := ClassifyExport(ExportFacts{BuyerOverseas: true, Declared: declared}, rules)
		if d.Class != ExportExempt || d.Exemption != "ordinary-data" || d.DeclaredNotApplied == "" {
			t.Errorf("decision %+v: want exempt as ordinary data, the declared exemption not applied", d)
		}
	})
}
