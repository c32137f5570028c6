package market

import (
	"fmt"
	"strings"
	"time"
)

// tradeEval is what the detector concluded about one trade's exceptions.
type tradeEval struct {
	explained  bool      // an exception whose evidence checks out explains the price
	lowersOnly bool      // the exceptions that explain it only ever lower a price
	applied    []Applied // the exceptions accepted
	rejected   []RejectedException
	ref        Money // the trade's reference price
	hasRef     bool
	allowance  Money // a cost difference the evidence accepts, per unit, above the reference
}

// evaluate checks the evidence of every exception trade i claims, against
// plan when it is known (nil otherwise), and sets the trade's reference
// when the plan gives it.
func (a *auditor) evaluate(i int, plan *PricePlan) tradeEval {
	t := &a.trades[i]
	var e tradeEval
	for _, le := range a.rs.LegalExceptions {
		if le.Covers(t.SellerID, t.ListingID, t.BuyerKind, t.Time) {
			e.explained = true
			e.applied = append(e.applied, Applied{Exception: ExceptionLegal, ID: le.ID, Basis: le.Basis, UnitPrice: t.UnitPrice})
			break
		}
	}
	if plan != nil {
		a.evaluateWithPlan(t, i, plan, &e)
		return e
	}
	if e.explained || !t.claims() {
		return e
	}
	reject := func(x Exception, id, format string, args ...any) {
		e.rejected = append(e.rejected, RejectedException{TradeID: t.ID, Exception: x, ID: id, Reason: fmt.Sprintf(format, args...)})
	}
	lowers := true
	if t.TierID != "" {
		if why := a.tierProblems(t, i); why != "" {
			reject(ExceptionTier, t.TierID, "%s", why)
		} else {
			e.applied = append(e.applied, Applied{Exception: ExceptionTier, ID: t.TierID, Basis: "the trade's conditions meet the tier's recorded criteria", UnitPrice: t.UnitPrice})
		}
	}
	if t.CostClaimID != "" {
		if t.CostClaimAmount == nil || !t.CostClaimAmount.Decimal().IsPositive() {
			reject(ExceptionCost, t.CostClaimID, "no evidence of the cost difference %s: the record gives no cost_claim_amount and there is no plan to check it against", t.CostClaimID)
		} else {
			e.applied = append(e.applied, Applied{Exception: ExceptionCost, ID: t.CostClaimID, Basis: "a recorded cost of " + t.CostClaimAmount.String() + " per unit", UnitPrice: t.UnitPrice})
			e.allowance, lowers = *t.CostClaimAmount, false
		}
	}
	if t.PromotionID != "" || t.PromotionKind != "" {
		if why := a.promotionProblems(t, i, t.PromotionKind, t.PromotionStart, t.PromotionEnd); why != "" {
			reject(ExceptionNewCustomer, t.PromotionID, "%s", why)
		} else {
			e.applied = append(e.applied, Applied{Exception: ExceptionNewCustomer, ID: t.PromotionID,
				Basis: fmt.Sprintf("new customer, promotion from %s to %s", t.PromotionStart.Format(time.RFC3339), t.PromotionEnd.Format(time.RFC3339)), UnitPrice: t.UnitPrice})
		}
	}
	if t.RandomRuleID != "" {
		reject(ExceptionRandom, t.RandomRuleID, "random rule %s is not known: its published odds, prize and seed are needed to replay draw %s (give the price plan)", t.RandomRuleID, t.RandomDrawID)
	}
	e.explained = len(e.applied) > 0
	e.lowersOnly = lowers
	return e
}

// evaluateWithPlan checks claims against the seller's plan: the trade's
// reference is the plan's list price for its conditions (base price or the
// tier they meet); accepted promotions and winning draws must account for
// the price the trade paid.
func (a *auditor) evaluateWithPlan(t *Trade, i int, plan *PricePlan, e *tradeEval) {
	list, _ := plan.ListUnitPrice(a.cond(i))
	e.ref, e.hasRef = list, true
	if e.explained {
		return
	}
	reject := func(x Exception, id, format string, args ...any) {
		e.rejected = append(e.rejected, RejectedException{TradeID: t.ID, Exception: x, ID: id, Reason: fmt.Sprintf(format, args...)})
	}
	if t.TierID != "" {
		tier, ok := plan.Tier(t.TierID)
		switch {
		case !ok:
			reject(ExceptionTier, t.TierID, "tier %s is not in price plan %s version %d", t.TierID, plan.ID, plan.Version)
		case !tier.Criteria.Met(a.cond(i)):
			reject(ExceptionTier, t.TierID, "the trade's conditions (%s) do not meet tier %s's criteria", a.cond(i).Key(&a.rs.Art37), t.TierID)
		case t.TierCriteriaMet != nil && !*t.TierCriteriaMet:
			reject(ExceptionTier, t.TierID, "the exporting platform recorded that the trade does not meet tier %s's criteria", t.TierID)
		}
	}
	expected := list
	var lowering []Applied
	if t.CostClaimID != "" {
		c, ok := plan.CostItem(t.CostClaimID)
		switch {
		case !ok:
			reject(ExceptionCost, t.CostClaimID, "cost item %s is not in price plan %s version %d", t.CostClaimID, plan.ID, plan.Version)
		case t.CostClaimAmount != nil && t.CostClaimAmount.Cmp(c.UnitAmount) != 0:
			reject(ExceptionCost, c.ID, "the record claims %s per unit for cost item %s, the plan %s", t.CostClaimAmount, c.ID, c.UnitAmount)
		default:
			expected = expected.Add(c.UnitAmount)
			lowering = append(lowering, Applied{Exception: ExceptionCost, ID: c.ID, Basis: c.Basis, UnitPrice: expected})
		}
	}
	if t.PromotionID != "" || t.PromotionKind != "" {
		p, ok := plan.Promotion(t.PromotionID)
		switch {
		case !ok:
			reject(ExceptionNewCustomer, t.PromotionID, "promotion %q is not in price plan %s version %d", t.PromotionID, plan.ID, plan.Version)
		default:
			if why := a.promotionProblems(t, i, string(p.Kind), &p.Start, &p.End); why != "" {
				reject(ExceptionNewCustomer, p.ID, "%s", why)
			} else {
				expected = discount(expected, p.Discount)
				lowering = append(lowering, Applied{Exception: ExceptionNewCustomer, ID: p.ID, Basis: "new customer, " + p.Discount.String() + " off", UnitPrice: expected})
			}
		}
	}
	if t.RandomRuleID != "" {
		r, ok := plan.RandomRule(t.RandomRuleID)
		switch {
		case !ok:
			reject(ExceptionRandom, t.RandomRuleID, "random rule %s is not in price plan %s version %d", t.RandomRuleID, plan.ID, plan.Version)
		case !r.ActiveAt(t.Time):
			reject(ExceptionRandom, r.ID, "random rule %s did not run at %s", r.ID, t.Time.Format(time.RFC3339))
		default:
			d := Draw(r, t.RandomDrawID)
			if !d.Won {
				reject(ExceptionRandom, r.ID, "draw %s under rule %s replays to a loss (u=%s, odds %s): it gives no prize", d.DrawID, r.ID, d.U, r.Odds)
			} else {
				expected = discount(expected, r.PrizeDiscount)
				lowering = append(lowering, Applied{Exception: ExceptionRandom, ID: r.ID, Basis: fmt.Sprintf("draw %s won (u=%s < odds %s)", d.DrawID, d.U, r.Odds), UnitPrice: expected})
			}
		}
	}
	if len(lowering) == 0 {
		return
	}
	if t.UnitPrice.Sub(expected).Decimal().Abs().LessThanOrEqual(expected.Decimal().Mul(a.tol)) {
		e.explained, e.lowersOnly, e.applied = true, true, lowering
		return
	}
	// lowering holds every exception that sets the price, including a cost
	// item that raises it; none of them accounts for the price paid.
	for _, x := range lowering {
		reject(x.Exception, x.ID, "the trade paid %s, not the %s the plan gives with this exception", t.UnitPrice, expected)
	}
}

// promotionProblems returns why a new-customer promotion does not explain
// trade i (Shaanxi Art. 37 exception (2)), or "" when its evidence checks
// out: the kind is new_customer, the period is recorded and reasonable, it
// runs at the trade's time, and the buyer had no earlier trade with this
// seller — by the exporting platform's record or by the data itself.
func (a *auditor) promotionProblems(t *Trade, i int, kind string, start, end *time.Time) string {
	var why []string
	if kind != string(PromotionNewCustomer) {
		why = append(why, fmt.Sprintf("promotion kind %q is not an offer to new customers", kind))
	}
	switch {
	case start == nil || end == nil:
		why = append(why, "no promotion period is recorded")
	default:
		p := Promotion{Start: *start, End: *end}
		if max := a.rs.Art37.MaxPromotionDays; p.Days() > max {
			why = append(why, fmt.Sprintf("the promotion runs %d days, longer than a reasonable period of at most %d days", p.Days(), max))
		}
		if !t.Time.Before(p.End) {
			why = append(why, fmt.Sprintf("the promotion ended at %s, before the trade at %s (expired)", p.End.Format(time.RFC3339), t.Time.Format(time.RFC3339)))
		} else if t.Time.Before(p.Start) {
			why = append(why, fmt.Sprintf("the promotion starts at %s, after the trade at %s", p.Start.Format(time.RFC3339), t.Time.Format(time.RFC3339)))
		}
	}
	if t.BuyerPriorTrades != nil && *t.BuyerPriorTrades > 0 {
		why = append(why, fmt.Sprintf("buyer %s is not a new customer: %d earlier trade(s) with this seller", t.BuyerID, *t.BuyerPriorTrades))
	} else if t.BuyerFirstTradeAt != nil && t.BuyerFirstTradeAt.Before(t.Time) {
		why = append(why, fmt.Sprintf("buyer %s is not a new customer: first traded with this seller at %s", t.BuyerID, t.BuyerFirstTradeAt.Format(time.RFC3339)))
	} else if h := a.history[i]; h.earlier >= 0 {
		x := &a.trades[h.earlier]
		why = append(why, fmt.Sprintf("buyer %s is not a new customer: trade %s with this seller at %s", t.BuyerID, x.ID, x.Time.Format(time.RFC3339)))
	}
	return strings.Join(why, "; ")
}

// tierProblems returns why a tier claimed without the plan does not
// explain trade i (Shaanxi Art. 37 exception (1)), or "" when its
// evidence checks out: the record gives the tier's criteria
// (tier_criteria), they name values the vocabulary knows, and the trade's
// conditions meet them. The exporting platform's own tier_criteria_met is
// not evidence on its own: a seller may record any "tier" it likes.
func (a *auditor) tierProblems(t *Trade, i int) string {
	if t.TierCriteriaMet != nil && !*t.TierCriteriaMet {
		return fmt.Sprintf("the trade does not meet tier %s's criteria (tier_criteria_met=false)", t.TierID)
	}
	if t.TierCriteria == nil {
		return fmt.Sprintf("no evidence that the trade meets tier %s's criteria: the record does not give them (tier_criteria) and there is no plan to check them against; a self-recorded tier_criteria_met is not evidence", t.TierID)
	}
	k, bad := t.TierCriteria.normalized(a.norm)
	if len(bad) > 0 {
		return fmt.Sprintf("tier %s's recorded criteria name %s=%q, which the rule set's vocabulary does not know", t.TierID, bad[0].Field, bad[0].Value)
	}
	if !k.Met(a.cond(i)) {
		return fmt.Sprintf("the trade's conditions (%s) do not meet tier %s's recorded criteria", a.cond(i).Key(&a.rs.Art37), t.TierID)
	}
	return ""
}
