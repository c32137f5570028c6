package market

import (
	"fmt"
	"strings"
)

// Statutory figures, in yuan.
var (
	// Shaanxi Art. 74: 交易金额不足一万元的，处五万元以上二十万元以下罚款；
	// 交易金额一万元以上的，处二十万元以上一百万元以下罚款.
	art74Threshold = Yuan(10_000)
	art74LowMin    = Yuan(50_000)
	art74LowMax    = Yuan(200_000)
	art74HighMin   = Yuan(200_000)
	art74HighMax   = Yuan(1_000_000)
	// Shaanxi Art. 75: 拒不改正的，处一万元以上十万元以下罚款.
	art75Min = Yuan(10_000)
	art75Max = Yuan(100_000)
)

// computeArt74 applies Shaanxi Art. 74 to a breach of Shaanxi Art. 36:
// order correction, confiscate the revenue net of refunds, and fine within
// the band the transaction amount selects.
func computeArt74(v PenaltyViolation, path string) (ViolationPenalty, error) {
	vp := newViolationPenalty(v)
	vp.Steps = append(vp.Steps, "Shaanxi Art. 74 applies to trading data in breach of Shaanxi Art. 36: order correction (责令改正), confiscate illegal gains (没收违法所得) and fine.")
	amounts, nets := make([]string, 0, len(v.Trades)), make([]string, 0, len(v.Trades))
	for _, t := range v.Trades {
		vp.TransactionAmount = vp.TransactionAmount.Add(t.Amount)
		vp.Confiscation = vp.Confiscation.Add(t.Amount.Sub(t.Refunded))
		amounts = append(amounts, fmt.Sprintf("%s (%s)", t.Amount, t.ID))
		nets = append(nets, fmt.Sprintf("(%s − %s) (%s)", t.Amount, t.Refunded, t.ID))
	}
	vp.Confiscation = vp.Confiscation.Round()
	vp.Steps = append(vp.Steps,
		fmt.Sprintf("Transaction amount (交易金额) = %s = %s yuan.", strings.Join(amounts, " + "), vp.TransactionAmount),
		fmt.Sprintf("Illegal gains = the seller's revenue from the violating trades net of refunds = %s = %s yuan; confiscate %s yuan.", strings.Join(nets, " + "), vp.Confiscation, vp.Confiscation))
	vp.Steps = append(vp.Steps, "Art. 74 fines whether or not the party has since corrected (\"corrected\" does not change the fine; prompt_correction may lighten it).")
	vp.FineApplies = true
	if vp.TransactionAmount.Cmp(art74Threshold) < 0 {
		vp.FineMin, vp.FineMax = art74LowMin, art74LowMax
		vp.Steps = append(vp.Steps, fmt.Sprintf("Transaction amount %s is under %s yuan (不足一万元 excludes the bound): fine range %s–%s yuan.", vp.TransactionAmount, art74Threshold, vp.FineMin, vp.FineMax))
	} else {
		vp.FineMin, vp.FineMax = art74HighMin, art74HighMax
		vp.Steps = append(vp.Steps, fmt.Sprintf("Transaction amount %s is %s yuan or more (一万元以上 includes the bound): fine range %s–%s yuan.", vp.TransactionAmount, art74Threshold, vp.FineMin, vp.FineMax))
	}
	if err := applyDiscretion(&vp, v, path); err != nil {
		return ViolationPenalty{}, err
	}
	return vp, nil
}

// computeArt75 applies Shaanxi Art. 75 to a breach of Shaanxi Art. 37:
// order correction and confiscate the overcharge; fine only when the party
// refuses to correct (拒不改正).
func computeArt75(v PenaltyViolation, path string) (ViolationPenalty, error) {
	vp := newViolationPenalty(v)
	vp.Steps = append(vp.Steps, "Shaanxi Art. 75 applies to a breach of Shaanxi Art. 37 harming the counterparty: order correction (责令改正) and confiscate illegal gains (没收违法所得); fine only if the party refuses to correct (拒不改正).")
	amounts, over := make([]string, 0, len(v.Trades)), make([]string, 0, len(v.Trades))
	for _, t := range v.Trades {
		vp.TransactionAmount = vp.TransactionAmount.Add(t.Amount)
		vp.Confiscation = vp.Confiscation.Add(t.Overcharge)
		amounts = append(amounts, fmt.Sprintf("%s (%s)", t.Amount, t.ID))
		over = append(over, fmt.Sprintf("%s (%s)", t.Overcharge, t.ID))
	}
	vp.Confiscation = vp.Confiscation.Round()
	vp.Steps = append(vp.Steps,
		fmt.Sprintf("Transaction amount = %s = %s yuan (recorded; Art. 75 does not grade the fine by it).", strings.Join(amounts, " + "), vp.TransactionAmount),
		fmt.Sprintf("Illegal gains = the overcharge over counterparties in the same transaction conditions = %s = %s yuan; confiscate %s yuan.", strings.Join(over, " + "), vp.Confiscation, vp.Confiscation))
	switch {
	case v.Corrected == nil:
		vp.Steps = append(vp.Steps, "Correction pending (corrected: null): no fine unless the party refuses to correct; compute again once the correction order's deadline has passed.")
	case *v.Corrected:
		vp.Steps = append(vp.Steps, "The party corrected (corrected: true): Art. 75 imposes no fine.")
	default:
		vp.FineApplies = true
		vp.FineMin, vp.FineMax = art75Min, art75Max
		vp.Steps = append(vp.Steps, fmt.Sprintf("The party refused to correct (corrected: false, 拒不改正): fine range %s–%s yuan.", vp.FineMin, vp.FineMax))
	}
	if !vp.FineApplies {
		if v.Override != nil {
			return ViolationPenalty{}, invalidField(path+".override", "override_without_fine", "Shaanxi Art. 75 fines only a party that refuses to correct, and \"corrected\" is not false; there is no fine to override")
		}
		vp.FactorsUsed = []PenaltyFactor{}
		vp.Steps = append(vp.Steps, "No fine, so no discretion band; the fine is 0.00 yuan.")
		return vp, nil
	}
	if err := applyDiscretion(&vp, v, path); err != nil {
		return ViolationPenalty{}, err
	}
	return vp, nil
}

func newViolationPenalty(v PenaltyViolation) ViolationPenalty {
	vp := ViolationPenalty{
		Article:           v.Article.Applied(),
		Breach:            v.Article.Breached(),
		CorrectionOrdered: true,
		Corrected:         v.Corrected,
		TradeIDs:          make([]string, 0, len(v.Trades)),
	}
	for _, t := range v.Trades {
		vp.TradeIDs = append(vp.TradeIDs, t.ID)
	}
	return vp
}

// applyDiscretion chooses the band from the factors, recommends its
// penaltyMidpoint, and applies the regulator's override, which must lie within
// [FineMin, FineMax].
func applyDiscretion(vp *ViolationPenalty, v PenaltyViolation, path string) error {
	band, light, heavy := penaltyChooseDiscretion(v.Factors)
	vp.Discretion = band
	vp.FactorsUsed = append([]PenaltyFactor{}, v.Factors...)
	lo, hi := penaltyBandBounds(vp.FineMin, vp.FineMax, band)
	vp.Steps = append(vp.Steps, fmt.Sprintf("Discretion: %d lightening factor(s)%s, %d aggravating factor(s)%s → %s band (%s) = %s–%s yuan.",
		light, penaltyFactorList(v.Factors, Lightening), heavy, penaltyFactorList(v.Factors, Aggravating), band, penaltyBandShare(band), lo, hi))
	vp.FineRecommended = penaltyMidpoint(lo, hi)
	vp.Steps = append(vp.Steps, fmt.Sprintf("Recommended fine = midpoint of the %s band = (%s + %s) / 2 = %s yuan.", band, lo, hi, vp.FineRecommended))
	vp.Fine = vp.FineRecommended
	if o := v.Override; o != nil {
		if o.Fine.Cmp(vp.FineMax) > 0 {
			return invalidField(path+".override.fine", "override_out_of_range", "%s yuan is outside the %s range %s–%s yuan", o.Fine, vp.Article, vp.FineMin, vp.FineMax)
		}
		vp.Override = &PenaltyOverride{Fine: o.Fine, Reason: strings.TrimSpace(o.Reason)}
		vp.Fine = o.Fine
		if o.Fine.Cmp(vp.FineMin) < 0 {
			// Below the minimum: a reduced penalty, which applyDecision
			// allows only for a circumstance of APL Art. 32.
			vp.Steps = append(vp.Steps, fmt.Sprintf("Regulator override: fine %s yuan, below the %s minimum of %s yuan (减轻处罚); reason: %s.", o.Fine, vp.Article, vp.FineMin, vp.Override.Reason))
		} else {
			vp.Steps = append(vp.Steps, fmt.Sprintf("Regulator override: fine %s yuan, within %s–%s yuan (%s band); reason: %s.", o.Fine, vp.FineMin, vp.FineMax, penaltyBandOf(vp.FineMin, vp.FineMax, o.Fine), vp.Override.Reason))
		}
	}
	vp.Steps = append(vp.Steps, fmt.Sprintf("Fine proposed: %s yuan.", vp.Fine))
	return nil
}

func penaltyFactorList(fs []PenaltyFactor, e FactorEffect) string {
	var names []string
	for _, f := range fs {
		if fi, _ := LookupFactor(f); fi.Effect == e {
			names = append(names, string(f))
		}
	}
	if len(names) == 0 {
		return ""
	}
	return " (" + strings.Join(names, ", ") + ")"
}

func penaltyBandShare(d Discretion) string {
	switch d {
	case DiscretionLighter:
		return "lower 30 % of the range"
	case DiscretionHeavier:
		return "upper 30 % of the range"
	}
	return "middle 40 % of the range"
}
