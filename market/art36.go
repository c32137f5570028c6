package market

import (
	"time"
)

// Decision is the Art. 36 gate's verdict on a listing.
type Decision string

// Gate decisions.
const (
	// DecisionListable: no rule stands in the way; the product may be listed.
	DecisionListable Decision = "listable"
	// DecisionBlocked: a rule of law bans the trade (Shaanxi Art. 36).
	DecisionBlocked Decision = "blocked"
	// DecisionReview: the rules cannot decide; an operator must.
	DecisionReview Decision = "review"
)

// Effect is what a violation does to the decision.
type Effect string

// Effects of a violation.
const (
	EffectBlock  Effect = "block"
	EffectReview Effect = "review"
)

// Articles cited by the Art. 36 gate.
const (
	ArticleShaanxi36_1 = "Shaanxi Art. 36(1)"
	ArticleShaanxi36_2 = "Shaanxi Art. 36(2)"
	ArticleShaanxi36_3 = "Shaanxi Art. 36(3)"
	ArticleTianjin18   = "Tianjin Art. 18"
	ArticleTianjin29   = "Tianjin Art. 29"
	ArticleMunicipal23 = "Municipal Art. 23"
)

// Violation is one reason the gate did not find a listing listable: a
// stable rule id, the article it cites, the source at fault (its index in
// sources[], nil when the listing as a whole is at fault) and a reason a
// seller can act on.
type Violation struct {
	Rule    string `json:"rule"`
	Article string `json:"article"`
	Source  *int   `json:"source"`
	Reason  string `json:"reason"`
	Effect  Effect `json:"effect"`
	// Columns names the dataset's columns a content signature matched
	// (art36_content.go); absent for other rules.
	Columns []string `json:"columns,omitempty"`
}

// GateResult is the Art. 36 gate's verdict: the decision, every violation,
// the time the listing was judged at and the rule-set version used.
type GateResult struct {
	Decision       Decision    `json:"decision"`
	Violations     []Violation `json:"violations"`
	At             time.Time   `json:"at"`
	RuleSetVersion int         `json:"ruleset_version"`
}

// Gate runs the Shaanxi Art. 36 gate on listing l at time at, under rule
// set rs, with cert the gate result of the listing's de-identification
// certificate (nil when there is none; for the offline form, l.Certificate
// is used when cert is nil). Every rule is evaluated, so the result lists
// every violation, not only the first. The decision is blocked when any
// violation blocks, review when any asks for review, listable otherwise.
//
// Gate is a pure function; it is safe for concurrent use. The same gate
// runs when an order is placed, since an authorization may have expired.
func Gate(l *Listing, cert *CertificateGate, rs *RuleSet, at time.Time) GateResult {
	if cert == nil {
		cert = l.Certificate
	}
	g := gateRun{l: l, cert: cert, rs: rs, at: at}
	for i := range l.Sources {
		g.source(i, &l.Sources[i])
	}
	g.certificateNotProof()
	g.personalInfo()
	g.bannedByLaw()
	g.content()    // art36_content.go
	g.provenance() // art36_provenance.go
	res := GateResult{Decision: DecisionListable, Violations: g.out, At: at.UTC(), RuleSetVersion: rs.Version}
	if res.Violations == nil {
		res.Violations = []Violation{}
	}
	for _, v := range res.Violations {
		switch {
		case v.Effect == EffectBlock:
			res.Decision = DecisionBlocked
		case v.Effect == EffectReview && res.Decision == DecisionListable:
			res.Decision = DecisionReview
		}
	}
	return res
}

// Err returns nil when the result is listable, and otherwise an ErrRefused
// *Error citing the first violation's article, with code listing_blocked
// or listing_in_review and the whole result as Details.
func (r GateResult) Err() error {
	if r.Decision == DecisionListable || len(r.Violations) == 0 {
		return nil
	}
	v := r.Violations[0]
	code := "listing_blocked"
	if r.Decision == DecisionReview {
		code = "listing_in_review"
	}
	e := Refused(v.Article, code, "%s", v.Reason)
	e.Details = r
	return e
}

// gateRun collects the violations of one gate run.
type gateRun struct {
	l    *Listing
	cert *CertificateGate
	rs   *RuleSet
	at   time.Time
	out  []Violation
}

func (g *gateRun) add(effect Effect, rule, article string, source int, reason string) {
	v := Violation{Rule: rule, Article: article, Reason: reason, Effect: effect}
	if source >= 0 {
		s := source
		v.Source = &s
	}
	g.out = append(g.out, v)
}

// certLevel returns the effect level rank of a passed certificate, 0 when
// there is none or it did not pass.
func (g *gateRun) certLevel() int {
	if g.cert == nil || !g.cert.Passed || !g.cert.proven {
		return 0
	}
	return LevelRank(g.cert.Level)
}
