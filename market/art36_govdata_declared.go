package market

import (
	"fmt"
	"strings"
	"time"
)

// Rule ids of the Art. 36(2) checks of a government approval as declared
// (when this platform's catalog does not hold it; art36_govdata.go checks
// the catalog's record instead).
const (
	RuleGovernmentApprovalUndeclared     = "government-approval-undeclared"
	RuleGovernmentApprovalPurposeUnknown = "government-approval-purpose-unknown"
)

// DeclaredApproval is the approval under which government data was opened
// on conditions or shared, as its holder declares it: the issuing
// department, the approval number and date, its validity and the
// purposes it permits (words of the rule set's scope vocabulary:
// "research", "internal_use", "resale", "科研", …).
type DeclaredApproval struct {
	Issuer    string   `json:"issuer"`
	Number    string   `json:"number"`
	Date      Date     `json:"date"`
	ValidFrom Date     `json:"valid_from"`
	ValidTo   Date     `json:"valid_to"`
	Purposes  []string `json:"purposes"`
}

// declaredApproval applies Shaanxi Art. 36(2) to the approval of
// conditionally opened government data that this platform's catalog does
// not hold: it must be declared in full (issuer, number, date, validity,
// purposes), be in force at the gate's time, and permit resale among its
// purposes. An approval for the applicant's own research does not let it
// sell the data.
func (g *gateRun) declaredApproval(i int, gv *Government) {
	ap := gv.Approval
	if ap == nil || strings.TrimSpace(ap.Issuer) == "" || strings.TrimSpace(ap.Number) == "" || ap.Date.IsZero() ||
		ap.ValidTo.IsZero() || len(ap.Purposes) == 0 {
		g.add(EffectReview, RuleGovernmentApprovalUndeclared, ArticleShaanxi36_2, i,
			fmt.Sprintf("source %d: catalogue entry %q is open only on conditions; declare its approval in full (issuer, number, date, valid_from, valid_to, purposes) so the gate can check that it permits resale", i, gv.CatalogID))
		return
	}
	if at := g.at; !ap.ValidFrom.IsZero() && at.Before(ap.ValidFrom.Start()) || !at.Before(ap.ValidTo.End()) {
		g.add(EffectBlock, RuleGovernmentApprovalExpired, ArticleShaanxi36_2, i,
			fmt.Sprintf("source %d: approval %s of %s is valid %s to %s, not at %s", i, ap.Number, ap.Issuer, ap.ValidFrom, ap.ValidTo, at.In(chinaTime).Format(time.DateOnly)))
	}
	v := g.rs.JudgeScopes(ap.Purposes)
	for _, w := range v.Unknown {
		g.add(EffectReview, RuleGovernmentApprovalPurposeUnknown, ArticleShaanxi36_2, i,
			fmt.Sprintf("source %d: approval %s permits purpose %q, which rule set %d does not know; an operator must judge it", i, ap.Number, w, g.rs.Version))
	}
	if !v.PermitsSale && len(v.Unknown) == 0 {
		g.add(EffectBlock, RuleGovernmentApprovalNoResale, ArticleShaanxi36_2, i,
			fmt.Sprintf("source %d: approval %s of %s permits only %v, not resale; data opened on conditions is used only as approved", i, ap.Number, ap.Issuer, ap.Purposes))
	}
}
