package market

import (
	"fmt"
	"strings"
)

// Validate checks a penalty case: a party with an id and a kind; at least
// one violation, each citing a known article, with at least one trade;
// trade ids present and not repeated under the same article; money not
// negative, refunds not above the amount, overcharge not above what the
// seller kept; factors known, not repeated and not contradicting each
// other or "corrected"; an override with a reason. The fine range of an
// override is checked by ComputePenalty, which knows the range.
//
// It returns an ErrInvalid *Error naming the field at fault.
func (c PenaltyCase) Validate() error {
	if strings.TrimSpace(c.Party.ID) == "" {
		return invalidField("party.id", "missing", "missing; want the party's id")
	}
	switch c.Party.Kind {
	case PartyOrganization, PartyIndividual:
	default:
		return invalidField("party.kind", "invalid_kind", "%q; want \"organization\" or \"individual\" (Shaanxi Art. 77 sets a threshold for each)", c.Party.Kind)
	}
	if len(c.Violations) == 0 {
		return invalidField("violations", "missing", "empty; want at least one violation")
	}
	seen := map[string]string{} // article + trade id → field of first use
	for i, v := range c.Violations {
		path := fmt.Sprintf("violations[%d]", i)
		if err := v.validate(path, seen); err != nil {
			return err
		}
	}
	return nil
}

func (v PenaltyViolation) validate(path string, seen map[string]string) error {
	switch v.Article {
	case BreachArt36, BreachArt37:
	default:
		return invalidField(path+".article", "invalid_article", "%q; want \"shaanxi-36\" (punished under Shaanxi Art. 74) or \"shaanxi-37\" (Shaanxi Art. 75)", v.Article)
	}
	if len(v.Trades) == 0 {
		return invalidField(path+".trades", "missing", "empty; want the violating trades")
	}
	for j, t := range v.Trades {
		tp := fmt.Sprintf("%s.trades[%d]", path, j)
		if strings.TrimSpace(t.ID) == "" {
			return invalidField(tp+".id", "missing", "missing; want the trade's id")
		}
		key := string(v.Article) + "\x00" + t.ID
		if first, dup := seen[key]; dup {
			return invalidField(tp+".id", "duplicate_trade", "trade %q already counted under %s at %s; its money would be counted twice", t.ID, v.Article.Breached(), first)
		}
		seen[key] = tp
		if err := t.validate(tp); err != nil {
			return err
		}
	}
	if err := penaltyValidateFactors(path, v.Factors, v.Corrected); err != nil {
		return err
	}
	switch v.Harm {
	case "", HarmNone, HarmMinor, HarmSerious:
	default:
		return invalidField(path+".harm", "invalid_harm", "%q; want \"none\", \"minor\" or \"serious\" (Administrative Penalty Law Art. 33)", v.Harm)
	}
	if v.Decision != nil {
		switch v.Decision.Kind {
		case DecisionPenalty, DecisionLighter, DecisionReduced, DecisionNoPenalty, DecisionNotEstablished, DecisionLimitationExpired:
		default:
			return invalidField(path+".decision.kind", "invalid_decision_kind", "%q; want penalty, lighter, reduced, no_penalty, not_established or limitation_expired", v.Decision.Kind)
		}
		if v.Override != nil {
			return invalidField(path+".decision", "override_and_decision", "give either an override or a decision, not both")
		}
	}
	if v.Override != nil {
		if strings.TrimSpace(v.Override.Reason) == "" {
			return invalidField(path+".override.reason", "missing", "missing; an override of the recommended fine must give its reason")
		}
		if v.Override.Fine.IsNegative() {
			return invalidField(path+".override.fine", "negative_money", "%s is negative", v.Override.Fine)
		}
	}
	return nil
}

func (t PenaltyTrade) validate(path string) error {
	for _, f := range []struct {
		name string
		m    Money
	}{{"amount", t.Amount}, {"refunded", t.Refunded}, {"overcharge", t.Overcharge}} {
		if f.m.IsNegative() {
			return invalidField(path+"."+f.name, "negative_money", "%s is negative", f.m)
		}
	}
	if t.Refunded.Cmp(t.Amount) > 0 {
		return invalidField(path+".refunded", "refund_exceeds_amount", "%s is more than the amount %s", t.Refunded, t.Amount)
	}
	if kept := t.Amount.Sub(t.Refunded); t.Overcharge.Cmp(kept) > 0 {
		return invalidField(path+".overcharge", "overcharge_exceeds_revenue", "%s is more than the seller kept of the trade (%s − %s refunded = %s)", t.Overcharge, t.Amount, t.Refunded, kept)
	}
	return nil
}

func penaltyValidateFactors(path string, factors []PenaltyFactor, corrected *bool) error {
	at := map[PenaltyFactor]int{}
	for k, f := range factors {
		fp := fmt.Sprintf("%s.factors[%d]", path, k)
		if _, ok := LookupFactor(f); !ok {
			return invalidField(fp, "unknown_factor", "%q is not a supported discretion factor (see docs/penalties.md)", f)
		}
		if first, dup := at[f]; dup {
			return invalidField(fp, "duplicate_factor", "%q already given at factors[%d]; a factor counts once", f, first)
		}
		at[f] = k
	}
	if i, ok := at[FactorFirstOffence]; ok {
		if _, rep := at[FactorRepeat]; rep {
			return invalidField(fmt.Sprintf("%s.factors[%d]", path, i), "contradictory_factors", "first_offence contradicts repeat")
		}
	}
	if i, ok := at[FactorPromptCorrection]; ok && corrected != nil && !*corrected {
		return invalidField(fmt.Sprintf("%s.factors[%d]", path, i), "contradictory_factors", "prompt_correction contradicts \"corrected\": false (the party refused to correct)")
	}
	return nil
}
