package market

import (
	"fmt"
)

// ViolationPenalty is the penalty computed for one violation.
type ViolationPenalty struct {
	// Article is the penalty article applied: "Shaanxi Art. 74" or "Shaanxi Art. 75".
	Article string `json:"article"`
	// Breach is the article breached: "Shaanxi Art. 36" or "Shaanxi Art. 37".
	Breach string `json:"breach"`
	// Product is the data product of the violation, when the case file names it.
	Product  string   `json:"product,omitempty"`
	TradeIDs []string `json:"trade_ids"`
	// TransactionAmount is the sum of the violating trades' amounts (交易金额).
	TransactionAmount Money `json:"transaction_amount"`
	// Confiscation is the illegal gains to confiscate (没收违法所得).
	Confiscation Money `json:"confiscation"`
	// CorrectionOrdered: both articles order correction (责令改正).
	CorrectionOrdered bool  `json:"correction_ordered"`
	Corrected         *bool `json:"corrected"`
	// FineApplies is false under Art. 75 unless the party refused to
	// correct; then the fine figures are all zero and Discretion is empty.
	FineApplies     bool  `json:"fine_applies"`
	FineMin         Money `json:"fine_min"`
	FineMax         Money `json:"fine_max"`
	FineRecommended Money `json:"fine_recommended"`
	// Discretion is the band of the recommendation; omitted when no fine applies.
	Discretion Discretion `json:"discretion,omitempty"`
	// FactorsUsed are the factors the recommendation weighed.
	FactorsUsed []PenaltyFactor `json:"factors_used"`
	// Override is the regulator's fine, when one was given.
	Override *PenaltyOverride `json:"override,omitempty"`
	// Fine is the fine proposed: the override if any, else the recommendation.
	Fine Money `json:"fine"`
	// Decision is the decision proposed or chosen (penalty, lighter,
	// reduced, no_penalty, not_established, limitation_expired), with its
	// legal basis and, when the regulator chose, its reasons. A decision
	// without penalty makes Fine and Confiscation 0.00.
	Decision       DecisionKind `json:"decision"`
	DecisionBasis  string       `json:"decision_basis"`
	DecisionReason string       `json:"decision_reason,omitempty"`
	// DecisionOptions are the decisions the law allows on this violation.
	DecisionOptions []DecisionOption `json:"decision_options"`
	// HearingNotice: this violation alone reaches a Shaanxi Art. 77 threshold.
	HearingNotice bool `json:"hearing_notice"`
	// Steps is every step of the computation, in words with figures.
	Steps []string `json:"steps"`
}

// PenaltyResult is the outcome of a penalty case: each violation computed
// separately, then the totals and the Shaanxi Art. 77 hearing notice.
type PenaltyResult struct {
	Party PenaltyParty `json:"party"`
	// DiscoveredOn is the case file's day of discovery (Art. 36), if given.
	DiscoveredOn      Date               `json:"discovered_on,omitzero"`
	Violations        []ViolationPenalty `json:"violations"`
	TotalConfiscation Money              `json:"total_confiscation"`
	TotalFine         Money              `json:"total_fine"`
	// HearingNotice: the decision must tell the party of its right to a
	// hearing (Shaanxi Art. 77); judged on the case totals.
	HearingNotice bool `json:"hearing_notice"`
	// HearingBasis says which Art. 77 threshold was reached, or that none was.
	HearingBasis string `json:"hearing_basis"`
	// DecisionOptions are every violation's options, in violation order
	// (each names its violation's index).
	DecisionOptions []DecisionOption `json:"decision_options"`
	// Steps are the totalling and Art. 77 steps.
	Steps []string `json:"steps"`
}

// ComputePenalty computes the penalties of a case under Shaanxi Art. 74,
// 75 and 77: for each violation the illegal gains to confiscate, the fine
// range, the recommended fine in its discretion band, the regulator's
// override if any, and the steps; then the totals and whether a hearing
// notice is due. It is a pure function, safe for concurrent use.
//
// It returns an ErrInvalid *Error naming the field at fault when the case
// fails Validate, or when an override is outside the statutory range or
// given where no fine applies.
func ComputePenalty(c PenaltyCase) (PenaltyResult, error) {
	if err := c.Validate(); err != nil {
		return PenaltyResult{}, err
	}
	merged, paths, mergeSteps, err := mergeProducts(c.Violations)
	if err != nil {
		return PenaltyResult{}, err
	}
	r := PenaltyResult{Party: c.Party, DiscoveredOn: c.DiscoveredOn, Violations: make([]ViolationPenalty, 0, len(merged)), DecisionOptions: []DecisionOption{}}
	for i, v := range merged {
		path := paths[i]
		var (
			vp  ViolationPenalty
			err error
		)
		switch v.Article {
		case BreachArt36:
			vp, err = computeArt74(v, path)
		case BreachArt37:
			vp, err = computeArt75(v, path)
		}
		if err != nil {
			return PenaltyResult{}, err
		}
		vp.Product = v.Product
		vp.Steps = append(mergeSteps[i], vp.Steps...)
		vp.DecisionOptions = decisionOptions(i, c, v, &vp)
		if err := applyDecision(&vp, v, path); err != nil {
			return PenaltyResult{}, err
		}
		r.DecisionOptions = append(r.DecisionOptions, vp.DecisionOptions...)
		vp.HearingNotice, _ = penaltyHearingDue(c.Party.Kind, vp.Fine, vp.Confiscation)
		vp.Steps = append(vp.Steps, penaltyHearingStep(c.Party.Kind, vp.Fine, vp.Confiscation, "this violation"))
		r.Violations = append(r.Violations, vp)
	}
	r.total()
	return r, nil
}

// total sums the violations and judges Art. 77 on the totals.
func (r *PenaltyResult) total() {
	conf, fines := make([]Money, 0, len(r.Violations)), make([]Money, 0, len(r.Violations))
	for _, v := range r.Violations {
		r.TotalConfiscation = r.TotalConfiscation.Add(v.Confiscation)
		r.TotalFine = r.TotalFine.Add(v.Fine)
		conf, fines = append(conf, v.Confiscation), append(fines, v.Fine)
	}
	r.Steps = []string{
		fmt.Sprintf("Total confiscation = %s = %s yuan.", penaltySum(conf), r.TotalConfiscation),
		fmt.Sprintf("Total fine = %s = %s yuan.", penaltySum(fines), r.TotalFine),
	}
	r.HearingNotice, r.HearingBasis = penaltyHearingDue(r.Party.Kind, r.TotalFine, r.TotalConfiscation)
	r.Steps = append(r.Steps, penaltyHearingStep(r.Party.Kind, r.TotalFine, r.TotalConfiscation, "the decision"))
}

// penaltySum writes "a + b + c" of amounts.
func penaltySum(ms []Money) string {
	s := ""
	for i, m := range ms {
		if i > 0 {
			s += " + "
		}
		s += m.String()
	}
	return s
}
