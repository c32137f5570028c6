package market

import (
	"fmt"
	"strings"
)

// DecisionKind is a decision the Administrative Penalty Law (行政处罚法,
// 2021) allows on one violation.
type DecisionKind string

// The decisions the penalty engine offers.
const (
	// DecisionPenalty: a penalty within the statutory range (APL Art. 57(1)(1)).
	DecisionPenalty DecisionKind = "penalty"
	// DecisionLighter: a lighter penalty (从轻) within the range, in its lower 30 %.
	DecisionLighter DecisionKind = "lighter"
	// DecisionReduced: a reduced penalty (减轻) below the statutory minimum,
	// for the circumstances of APL Art. 32.
	DecisionReduced DecisionKind = "reduced"
	// DecisionNoPenalty: no penalty (不予行政处罚) in the cases of APL Art. 33.
	DecisionNoPenalty DecisionKind = "no_penalty"
	// DecisionNotEstablished: the facts are not established for lack of
	// evidence (APL Art. 40, Art. 57(1)(3)); no penalty.
	DecisionNotEstablished DecisionKind = "not_established"
	// DecisionLimitationExpired: the violation was not discovered within the
	// limitation of APL Art. 36; no penalty is given any more.
	DecisionLimitationExpired DecisionKind = "limitation_expired"
)

// Penalizes reports whether the decision imposes a penalty.
func (k DecisionKind) Penalizes() bool {
	return k == DecisionPenalty || k == DecisionLighter || k == DecisionReduced
}

// Chinese names the decision as a document states it.
func (k DecisionKind) Chinese() string {
	switch k {
	case DecisionPenalty:
		return "给予行政处罚"
	case DecisionLighter:
		return "从轻处罚"
	case DecisionReduced:
		return "减轻处罚"
	case DecisionNoPenalty:
		return "不予行政处罚"
	case DecisionNotEstablished:
		return "违法事实不能成立，不予行政处罚"
	case DecisionLimitationExpired:
		return "超过追责时效，不再给予行政处罚"
	}
	return string(k)
}

// PenaltyDecision is the regulator's choice for one violation: a kind the
// engine offered, the fine for a kind that penalizes, and the reasons.
type PenaltyDecision struct {
	Kind   DecisionKind `json:"kind"`
	Fine   *Money       `json:"fine,omitempty"`
	Reason string       `json:"reason"`
}

// DecisionOption is one decision the law allows on a violation, with its
// legal basis and the fine range it permits (both 0.00 for a decision
// without fine).
type DecisionOption struct {
	// Violation is the index of the violation in the result.
	Violation int          `json:"violation"`
	Kind      DecisionKind `json:"kind"`
	Basis     string       `json:"basis"`
	FineMin   Money        `json:"fine_min"`
	FineMax   Money        `json:"fine_max"`
	// Mandatory: the law leaves no other outcome (不予/不再给予); only
	// "not_established" is offered beside it.
	Mandatory bool `json:"mandatory"`
	// Circumstances are the factors that open the option (Art. 32, 33).
	Circumstances []PenaltyFactor `json:"circumstances,omitempty"`
}

// art32Circumstances are the factors of APL Art. 32: 当事人有下列情形之一，
// 应当从轻或者减轻行政处罚.
var art32Circumstances = []PenaltyFactor{FactorPromptCorrection, FactorCoerced, FactorVoluntaryConfession, FactorCooperation}

// Limitation periods of APL Art. 36: 违法行为在二年内未被发现的，不再给予行政
// 处罚；涉及公民生命健康安全、金融安全且有危害后果的，上述期限延长至五年。
const (
	limitationYears     = 2
	limitationLongYears = 5
)

// decisionOptions returns the decisions the law allows on violation i of
// case c, computed as vp, with a step per finding.
func decisionOptions(i int, c PenaltyCase, v PenaltyViolation, vp *ViolationPenalty) []DecisionOption {
	var opts []DecisionOption
	add := func(o DecisionOption) { o.Violation = i; opts = append(opts, o) }
	notEstablished := DecisionOption{Kind: DecisionNotEstablished,
		Basis: "Administrative Penalty Law Art. 40 (违法事实不清、证据不足的，不得给予行政处罚) and Art. 57(1)(3)"}
	if expired, step := limitationExpired(c.DiscoveredOn, v); step != "" {
		vp.Steps = append(vp.Steps, step)
		if expired {
			add(DecisionOption{Kind: DecisionLimitationExpired, Mandatory: true, Basis: step})
			add(notEstablished)
			return opts
		}
	}
	if v.NoFaultEvidence {
		vp.Steps = append(vp.Steps, "The party has evidence sufficient to prove it had no fault: Administrative Penalty Law Art. 33(2) forbids a penalty (不予行政处罚).")
		add(DecisionOption{Kind: DecisionNoPenalty, Mandatory: true, Basis: "Administrative Penalty Law Art. 33(2): 当事人有证据足以证明没有主观过错的，不予行政处罚"})
		add(notEstablished)
		return opts
	}
	circ := presentFactors(v.Factors, art32Circumstances)
	corrected := v.Corrected != nil && *v.Corrected
	if vp.FineApplies {
		if len(circ) == 0 {
			add(DecisionOption{Kind: DecisionPenalty, FineMin: vp.FineMin, FineMax: vp.FineMax,
				Basis: fmt.Sprintf("%s; Administrative Penalty Law Art. 57(1)(1)", vp.Article)})
		}
		if light := lighteningFactors(v.Factors); len(light) > 0 {
			_, top := penaltyBandBounds(vp.FineMin, vp.FineMax, DiscretionLighter)
			basis := fmt.Sprintf("%s, lower 30 %% of the range for lightening circumstances (从轻)", vp.Article)
			if len(circ) > 0 {
				basis = fmt.Sprintf("Administrative Penalty Law Art. 32 (应当从轻或者减轻): %s; %s", factorArticles(circ), basis)
			}
			add(DecisionOption{Kind: DecisionLighter, FineMin: vp.FineMin, FineMax: top, Basis: basis, Circumstances: light})
		}
		if len(circ) > 0 {
			add(DecisionOption{Kind: DecisionReduced, FineMin: Money{}, FineMax: vp.FineMin.Sub(MustMoney("0.01")),
				Basis:         fmt.Sprintf("Administrative Penalty Law Art. 32 (减轻处罚, below the %s minimum of %s yuan): %s", vp.Article, vp.FineMin, factorArticles(circ)),
				Circumstances: circ})
		}
	} else {
		add(DecisionOption{Kind: DecisionPenalty, Basis: fmt.Sprintf("%s: correction and confiscation of illegal gains, no fine", vp.Article)})
	}
	if corrected && v.Harm == HarmNone {
		add(DecisionOption{Kind: DecisionNoPenalty, Basis: "Administrative Penalty Law Art. 33(1): 违法行为轻微并及时改正，没有造成危害后果的，不予行政处罚 (the regulator judges the violation minor)"})
	} else if corrected && v.Harm == HarmMinor && hasFactor(v.Factors, FactorFirstOffence) {
		add(DecisionOption{Kind: DecisionNoPenalty, Circumstances: []PenaltyFactor{FactorFirstOffence},
			Basis: "Administrative Penalty Law Art. 33(1): 初次违法且危害后果轻微并及时改正的，可以不予行政处罚"})
	}
	add(notEstablished)
	return opts
}

// limitationExpired applies APL Art. 36: the period runs from the end of
// the violation (a continuing violation's end), and a violation not
// discovered within it is not punished any more. It returns whether it
// expired and a step; an empty step when the case file lacks the dates.
func limitationExpired(discovered Date, v PenaltyViolation) (bool, string) {
	years := limitationYears
	if v.LongLimitation {
		years = limitationLongYears
	}
	switch {
	case discovered.IsZero():
		return false, ""
	case v.Continuing:
		return false, fmt.Sprintf("Limitation (Administrative Penalty Law Art. 36): the violation was continuing when discovered on %s; the %d-year period runs only from its end.", discovered, years)
	case v.EndedOn.IsZero():
		return false, ""
	}
	last := Date{v.EndedOn.Start().AddDate(years, 0, 0)}
	if discovered.Start().After(last.Start()) {
		return true, fmt.Sprintf("Limitation (Administrative Penalty Law Art. 36): the violation ended on %s and was discovered on %s, after the %d-year period ended on %s; no penalty is given any more (不再给予行政处罚).", v.EndedOn, discovered, years, last)
	}
	return false, fmt.Sprintf("Limitation (Administrative Penalty Law Art. 36): the violation ended on %s and was discovered on %s, within the %d-year period (to %s).", v.EndedOn, discovered, years, last)
}

// applyDecision applies the regulator's choice (or the engine's proposal)
// to vp: the kind, its basis and, for a decision without penalty, a fine
// and confiscation of nothing. It returns an ErrInvalid *Error when the
// choice is not among the options, lacks its reasons or leaves the range.
func applyDecision(vp *ViolationPenalty, v PenaltyViolation, path string) error {
	opts := vp.DecisionOptions
	find := func(k DecisionKind) (DecisionOption, bool) {
		for _, o := range opts {
			if o.Kind == k {
				return o, true
			}
		}
		return DecisionOption{}, false
	}
	d := v.Decision
	for _, o := range opts {
		if o.Mandatory && v.Override != nil {
			return invalidField(path+".override", "decision_not_allowed", "%s: %s; a fine cannot be set", o.Kind, o.Basis)
		}
	}
	if d == nil && v.Override != nil && vp.FineApplies && v.Override.Fine.Cmp(vp.FineMin) < 0 {
		// An override below the minimum is a reduced penalty (Art. 32).
		d = &PenaltyDecision{Kind: DecisionReduced, Fine: &v.Override.Fine, Reason: v.Override.Reason}
		path += ".override"
	} else if d != nil {
		path += ".decision"
	}
	if d == nil && v.Override != nil && vp.FineApplies {
		if o, ok := find(DecisionLighter); ok && len(o.Circumstances) > 0 && strings.HasPrefix(o.Basis, "Administrative Penalty Law Art. 32") && v.Override.Fine.Cmp(o.FineMax) > 0 {
			return invalidField(path+".override.fine", "override_out_of_range", "%s yuan is above the lighter band %s–%s yuan; with %s Administrative Penalty Law Art. 32 requires a lighter or reduced penalty (应当从轻或者减轻)",
				v.Override.Fine, o.FineMin, o.FineMax, factorNames(presentFactors(v.Factors, art32Circumstances)))
		}
	}
	if d == nil {
		vp.Decision = proposedKind(vp, opts)
		o, _ := find(vp.Decision)
		vp.DecisionBasis = o.Basis
		if !vp.Decision.Penalizes() {
			zeroPenalty(vp)
		}
		vp.Steps = append(vp.Steps, fmt.Sprintf("Decision proposed: %s (%s); options: %s.", vp.Decision, vp.DecisionBasis, optionKinds(opts)))
		return nil
	}
	o, ok := find(d.Kind)
	if !ok {
		if d.Kind == DecisionReduced && vp.FineApplies {
			return invalidField(path+".fine", "override_out_of_range", "%s yuan is outside the %s range %s–%s yuan; below the minimum only as a reduced penalty (减轻处罚, Administrative Penalty Law Art. 32), which needs one of %s, and the violation records none",
				*d.Fine, vp.Article, vp.FineMin, vp.FineMax, factorNames(art32Circumstances))
		}
		return invalidField(path+".kind", "decision_not_allowed", "%q is not a decision the law allows on this violation; want one of %s", d.Kind, optionKinds(opts))
	}
	if strings.TrimSpace(d.Reason) == "" {
		return invalidField(path+".reason", "missing", "missing; the regulator gives the reasons of its decision (Administrative Penalty Law Art. 59)")
	}
	vp.Decision, vp.DecisionBasis, vp.DecisionReason = o.Kind, o.Basis, strings.TrimSpace(d.Reason)
	if !o.Kind.Penalizes() || (!vp.FineApplies && o.Kind == DecisionPenalty) {
		if d.Fine != nil && !d.Fine.IsZero() {
			return invalidField(path+".fine", "fine_not_allowed", "a %s decision imposes no fine", o.Kind)
		}
		if !o.Kind.Penalizes() {
			zeroPenalty(vp)
		}
		vp.Steps = append(vp.Steps, fmt.Sprintf("Decision: %s (%s); reason: %s.", o.Kind, o.Basis, vp.DecisionReason))
		return nil
	}
	if d.Fine == nil {
		return invalidField(path+".fine", "missing", "missing; a %s decision names its fine within %s–%s yuan", o.Kind, o.FineMin, o.FineMax)
	}
	if d.Fine.Cmp(o.FineMin) < 0 || d.Fine.Cmp(o.FineMax) > 0 {
		return invalidField(path+".fine", "override_out_of_range", "%s yuan is outside the %s range %s–%s yuan", *d.Fine, o.Kind, o.FineMin, o.FineMax)
	}
	vp.Fine = *d.Fine
	vp.Steps = append(vp.Steps, fmt.Sprintf("Decision: %s, fine %s yuan within %s–%s yuan (%s); reason: %s.", o.Kind, vp.Fine, o.FineMin, o.FineMax, o.Basis, vp.DecisionReason),
		fmt.Sprintf("Fine decided: %s yuan (the regulator's decision replaces the recommendation of %s yuan).", vp.Fine, vp.FineRecommended))
	return nil
}

// proposedKind is the engine's proposal: a mandatory option if there is
// one, else lighter when the recommendation is in the lighter band and
// that option exists, else penalty (or lighter where Art. 32 leaves no
// plain penalty).
func proposedKind(vp *ViolationPenalty, opts []DecisionOption) DecisionKind {
	has := map[DecisionKind]bool{}
	for _, o := range opts {
		if o.Mandatory {
			return o.Kind
		}
		has[o.Kind] = true
	}
	lighterBand := vp.FineApplies && penaltyBandOf(vp.FineMin, vp.FineMax, vp.Fine) == DiscretionLighter
	switch {
	case has[DecisionLighter] && (lighterBand || !has[DecisionPenalty]):
		return DecisionLighter
	case has[DecisionPenalty]:
		return DecisionPenalty
	}
	return DecisionLighter
}

// zeroPenalty clears the fine and the confiscation of a decision that
// imposes no penalty; correction is still ordered (APL Art. 28).
func zeroPenalty(vp *ViolationPenalty) {
	vp.Fine, vp.Confiscation = Money{}, Money{}
	vp.Steps = append(vp.Steps, "No penalty: no fine and no confiscation; the order to correct stands (Administrative Penalty Law Art. 28).")
}

func optionKinds(opts []DecisionOption) string {
	s := make([]string, len(opts))
	for i, o := range opts {
		s[i] = string(o.Kind)
	}
	return strings.Join(s, ", ")
}

func presentFactors(have, of []PenaltyFactor) []PenaltyFactor {
	var out []PenaltyFactor
	for _, f := range of {
		if hasFactor(have, f) {
			out = append(out, f)
		}
	}
	return out
}

func hasFactor(fs []PenaltyFactor, f PenaltyFactor) bool {
	for _, g := range fs {
		if g == f {
			return true
		}
	}
	return false
}

func lighteningFactors(fs []PenaltyFactor) []PenaltyFactor {
	var out []PenaltyFactor
	for _, f := range fs {
		if fi, ok := LookupFactor(f); ok && fi.Effect == Lightening {
			out = append(out, f)
		}
	}
	return out
}

// factorArticles writes "prompt_correction (Administrative Penalty Law Art. 32(1)), …".
func factorArticles(fs []PenaltyFactor) string {
	s := make([]string, len(fs))
	for i, f := range fs {
		fi, _ := LookupFactor(f)
		s[i] = fmt.Sprintf("%s %s (%s)", f, fi.Chinese, strings.TrimPrefix(fi.Basis, "Administrative Penalty Law "))
	}
	return strings.Join(s, "; ")
}

func factorNames(fs []PenaltyFactor) string {
	s := make([]string, len(fs))
	for i, f := range fs {
		s[i] = string(f)
	}
	return strings.Join(s, ", ")
}
