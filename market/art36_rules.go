package market

import (
	"fmt"
	"strings"
)

// Stable rule ids of the Art. 36 gate. They never change meaning; new
// rules get new ids.
const (
	RuleAuthorizationMissing      = "authorization-missing"
	RuleAuthorizationNotYetValid  = "authorization-not-yet-valid"
	RuleAuthorizationExpired      = "authorization-expired"
	RuleAuthorizationNoTrading    = "authorization-scope-lacks-trading"
	RuleAuthorizationUnknownScope = "authorization-scope-unknown"
	RulePersonalInfoNoCertificate = "personal-info-without-certificate"
	RuleGovernmentNotOpen         = "government-open-class-none"
	RuleGovernmentNoApproval      = "government-conditional-without-approval"
	RuleGovernmentSharedForDuty   = "government-shared-for-duty"
	RuleGovernmentUndeclared      = "government-open-class-undeclared"
	RuleNonPublicNotAuthorized    = "non-public-without-trading-authorization"
	RuleDisclosureInconsistent    = "public-disclosure-declared-non-public"
	RuleCoreData                  = "core-data"
	RuleImportantNoAssessment     = "important-data-without-security-assessment"
	RuleStateSecret               = "state-secret"
	RuleSensitiveBelowL3          = "sensitive-personal-info-below-l3"
	RuleMinorsBelowL3             = "minors-data-below-l3"
	RuleNegativeList              = "negative-list-category"
	// RuleExportWithoutAssessment is retired with rule set 2 and no longer
	// fires: Shaanxi Art. 72 refers to the national rules, under which only
	// some exports need a security assessment, and which class an export is
	// in is decided per order from the seller's filings (ClassifyExport,
	// CheckFiling). Decisions recorded before still name it.
	RuleExportWithoutAssessment = "export-without-security-assessment"
)

// hasEvidence reports whether an authorization names a grantor and the
// SHA-256 of its document.
func hasEvidence(a *Authorization) bool {
	return a != nil && strings.TrimSpace(a.Grantor) != "" && a.DocumentSHA256 != ""
}

// permitsSale reports whether the scope of authorization a permits selling
// the data on, by the rule set's scope vocabulary (ruleset_scope.go).
func (g *gateRun) permitsSale(a *Authorization) bool {
	return g.rs.JudgeScopes(a.Scope).PermitsSale
}

// source applies the per-source rules of Art. 36(1) and 36(2).
func (g *gateRun) source(i int, s *Source) {
	isGov := s.Origin == OriginGovernmentOpen || s.Government != nil
	if isGov {
		g.government(i, s)
	}
	// Art. 36(1): the seller's own data, public disclosures and lawfully
	// open government data need no grantor's authorization.
	// Data bought here is judged by the licence of the order it names
	// (art36_provenance.go).
	bought := s.Origin == OriginExchangePurchase && strings.TrimSpace(s.OrderID) != ""
	exempt := s.OwnData || s.Origin == OriginPublicDisclosure || isGov || bought
	a := s.Authorization
	switch {
	case hasEvidence(a):
		g.authorization(i, a)
	case !exempt:
		g.add(EffectBlock, RuleAuthorizationMissing, ArticleShaanxi36_1, i,
			fmt.Sprintf("source %d (%s) is not the seller's own data and has no authorization evidence (grantor and document SHA-256)", i, s.Origin))
	}
	if s.Origin == OriginPublicDisclosure && s.Disclosure == DisclosureNonPublic {
		g.add(EffectReview, RuleDisclosureInconsistent, ArticleShaanxi36_2, i,
			fmt.Sprintf("source %d is declared a public disclosure but its data non_public; an operator must check how it was made public", i))
	}
	// Art. 36(2): non-public data only when it is the seller's own or a
	// grantor authorized trading it. Government data is judged by its open class.
	if s.Disclosure == DisclosureNonPublic && !s.OwnData && !isGov && !bought && !(hasEvidence(a) && (g.permitsSale(a) || len(g.rs.JudgeScopes(a.Scope).Unknown) > 0)) {
		g.add(EffectBlock, RuleNonPublicNotAuthorized, ArticleShaanxi36_2, i,
			fmt.Sprintf("source %d holds non-public data that is neither the seller's own nor covered by an authorization whose scope includes trading", i))
	}
}

// authorization checks the validity and scope of an authorization at the
// gate's time (Art. 36(1)).
func (g *gateRun) authorization(i int, a *Authorization) {
	at := g.at
	if !a.ValidFrom.IsZero() && at.Before(a.ValidFrom.Start()) {
		g.add(EffectBlock, RuleAuthorizationNotYetValid, ArticleShaanxi36_1, i,
			fmt.Sprintf("source %d: the authorization by %s is valid only from %s", i, a.Grantor, a.ValidFrom))
	}
	if !a.ValidTo.IsZero() && !at.Before(a.ValidTo.End()) {
		g.add(EffectBlock, RuleAuthorizationExpired, ArticleShaanxi36_1, i,
			fmt.Sprintf("source %d: the authorization by %s expired on %s", i, a.Grantor, a.ValidTo))
	}
	// The scope vocabulary decides: a known word that permits sale
	// ("trading", "resale", "转售") passes; only known words that do not
	// ("research", "internal_use") block; a word the rule set does not
	// know goes to review, named, never a silent block or pass.
	v := g.rs.JudgeScopes(a.Scope)
	for _, w := range v.Unknown {
		g.add(EffectReview, RuleAuthorizationUnknownScope, ArticleShaanxi36_1, i,
			fmt.Sprintf("source %d: scope %q is not in the scope vocabulary of rule set %d; an operator must judge whether it permits sale", i, w, g.rs.Version))
	}
	if !v.PermitsSale && len(v.Unknown) == 0 {
		g.add(EffectBlock, RuleAuthorizationNoTrading, ArticleShaanxi36_1, i,
			fmt.Sprintf("source %d: the authorization by %s does not permit sale: none of its scopes %v permits trading or resale", i, a.Grantor, a.Scope))
	}
}

// government applies Art. 36(2) to government data: its open class, the
// approval of conditionally open data, and the ban on passing on data
// obtained through sharing for duties (Tianjin Art. 18, Municipal Art. 23).
func (g *gateRun) government(i int, s *Source) {
	gv := s.Government
	if g.catalogued(i, gv) { // art36_govdata.go: the approval as the catalog records it
		return
	}
	switch {
	case gv == nil:
		g.add(EffectReview, RuleGovernmentUndeclared, ArticleShaanxi36_2, i,
			fmt.Sprintf("source %d is government data without its catalogue entry and open class; an operator must check it", i))
		return
	case gv.SharedForDuty:
		g.add(EffectBlock, RuleGovernmentSharedForDuty, ArticleShaanxi36_2, i,
			fmt.Sprintf("source %d was obtained through inter-departmental sharing for duties and may never go to third parties (%s, %s)", i, ArticleTianjin18, ArticleMunicipal23))
	}
	switch gv.OpenClass {
	case OpenNone:
		g.add(EffectBlock, RuleGovernmentNotOpen, ArticleShaanxi36_2, i,
			fmt.Sprintf("source %d: government catalogue entry %q is not open (open_class none)", i, gv.CatalogID))
	case OpenConditional:
		if (gv.ApprovalRef == nil || strings.TrimSpace(*gv.ApprovalRef) == "") && gv.Approval == nil {
			g.add(EffectBlock, RuleGovernmentNoApproval, ArticleShaanxi36_2, i,
				fmt.Sprintf("source %d: government catalogue entry %q is open only on conditions and no approval_ref is given", i, gv.CatalogID))
		} else {
			g.declaredApproval(i, gv) // art36_govdata_declared.go
		}
	}
}

// personalInfo: personal information may be traded only when it can no
// longer identify anyone and cannot be restored (Tianjin Art. 29), i.e.
// with a passed de-identification certificate.
func (g *gateRun) personalInfo() {
	l := g.l
	if !(l.ContainsPersonalInfo || l.ContainsSensitivePersonalInfo || l.ContainsMinorsData) {
		return
	}
	switch level := g.certLevel(); {
	case level == 0:
		g.add(EffectBlock, RulePersonalInfoNoCertificate, ArticleShaanxi36_1, -1,
			fmt.Sprintf("the product contains personal information without a passed de-identification certificate (%s)", ArticleTianjin29))
	case level < 3:
		g.add(EffectBlock, RulePersonalInfoBelowL3, ArticleTianjin29, -1,
			fmt.Sprintf("personal information needs a certificate at level L3 or better: %s still identifies someone (%s)", g.levelText(), ArticleTianjin29))
	}
}

// bannedByLaw applies Art. 36(3): trades the law bans.
func (g *gateRun) bannedByLaw() {
	l := g.l
	hasAssessment := l.SecurityAssessmentRef != nil && strings.TrimSpace(*l.SecurityAssessmentRef) != ""
	switch l.Classification {
	case ClassCore:
		g.add(EffectBlock, RuleCoreData, ArticleShaanxi36_3, -1,
			"core data may not be traded (Data Security Law Art. 21)")
	case ClassImportant:
		if !hasAssessment {
			g.add(EffectBlock, RuleImportantNoAssessment, ArticleShaanxi36_3, -1,
				"important data may be traded only after a security assessment; security_assessment_ref is missing (Data Security Law Art. 21, 30)")
		}
	}
	if l.StateSecret {
		g.add(EffectBlock, RuleStateSecret, ArticleShaanxi36_3, -1,
			"state secrets may not be traded (Law on Guarding State Secrets)")
	}
	level := g.certLevel()
	if l.ContainsSensitivePersonalInfo && level < 3 {
		g.add(EffectBlock, RuleSensitiveBelowL3, ArticleShaanxi36_3, -1,
			fmt.Sprintf("sensitive personal information needs a passed certificate at level L3 or better; have %s", g.levelText()))
	}
	if l.ContainsMinorsData && level < 3 {
		g.add(EffectBlock, RuleMinorsBelowL3, ArticleShaanxi36_3, -1,
			fmt.Sprintf("minors' data needs a passed certificate at level L3 or better; have %s", g.levelText()))
	}
	if n, ok := g.rs.Banned(l.Category); ok {
		g.add(EffectBlock, RuleNegativeList, ArticleShaanxi36_3, -1,
			fmt.Sprintf("category %q is on the negative list of rule set %d (%s)", l.Category, g.rs.Version, n.Basis))
	}
	// An export (export_intended) is not judged here: whether it needs a
	// standard contract, a certification or a security assessment is the
	// order's class under Shaanxi Art. 72 (export_order.go), decided at
	// order time from the seller's filings, not a bar to listing.
}

func (g *gateRun) levelText() string {
	switch {
	case g.cert == nil:
		return "no certificate"
	case !g.cert.proven:
		return "a certificate that is not proof"
	case !g.cert.Passed:
		return "a certificate that did not pass"
	}
	return "level " + g.cert.Level
}
