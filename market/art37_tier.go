package market

import (
	"fmt"
	"slices"
	"strings"
)

// checkAgainstLowest rejects, in an audit without the plan, the
// exceptions of trade t that cannot account for its price against the
// group's lowest unexplained price ref: a tier or an offer to new
// customers explains only a price at or below it, a cost difference at
// most ref plus the recorded cost (each within the tolerance). Legal
// exceptions configured by an operator are not checked.
func (a *auditor) checkAgainstLowest(e *tradeEval, t *Trade, ref Money) {
	if !e.explained || len(e.applied) == 0 || e.applied[0].Exception == ExceptionLegal {
		return
	}
	most := ref.Add(e.allowance)
	if !t.UnitPrice.Decimal().GreaterThan(most.Decimal().Mul(a.one.Add(a.tol))) {
		return
	}
	e.explained = false
	for _, x := range e.applied {
		var why string
		switch x.Exception {
		case ExceptionTier:
			why = fmt.Sprintf("a tier explains a lower price for conditions that meet its criteria, but this trade paid %s, above the group's lowest %s", t.UnitPrice, ref)
		case ExceptionCost:
			why = fmt.Sprintf("the recorded cost of %s per unit explains at most %s, but this trade paid %s", e.allowance, most, t.UnitPrice)
		default:
			why = fmt.Sprintf("an offer to new customers explains a lower price, but this trade paid %s, above the group's lowest %s", t.UnitPrice, ref)
		}
		e.rejected = append(e.rejected, RejectedException{TradeID: t.ID, Exception: x.Exception, ID: x.ID, Reason: why})
	}
}

// loyaltyTier flags a "tier" that only repeat buyers get, at a higher
// price than the group's other trades (Shaanxi Art. 37, the habit pattern
// "杀熟" dressed as a tier): every trade that claims a tier and pays more
// than the group's reference beyond the tolerance is of a buyer with an
// earlier trade with this seller, and at least one trade of the group
// claims no tier. Whether the tier's evidence checked out does not matter:
// a volume tier lowers a price, it does not raise it for loyal buyers.
func (a *auditor) loyaltyTier(g *auditGroup, plan *PricePlan, evals []tradeEval, rejected []RejectedException) *PriceFlag {
	var ref Money
	haveRef := false
	for n, i := range g.idx {
		if t := &a.trades[i]; t.TierID == "" && evals[n].hasRef && (!haveRef || evals[n].ref.Cmp(ref) < 0) {
			ref, haveRef = evals[n].ref, true
		}
	}
	if !haveRef {
		return nil
	}
	limit := ref.Decimal().Mul(a.one.Add(a.tol))
	var dear []int
	tiers := map[string]bool{}
	for _, i := range g.idx {
		t := &a.trades[i]
		if t.TierID == "" || !t.UnitPrice.Decimal().GreaterThan(limit) {
			continue
		}
		if a.prior(i) == 0 {
			return nil // a new buyer got the dearer tier too
		}
		dear = append(dear, i)
		tiers[t.TierID] = true
	}
	if len(dear) == 0 {
		return nil
	}
	f := a.newFlag(g, plan, KindHabitPattern, ref, rejected)
	for _, i := range dear {
		f.add(&a.trades[i], ref)
	}
	names := make([]string, 0, len(tiers))
	for k := range tiers {
		names = append(names, k)
	}
	slices.Sort(names)
	f.Reason = fmt.Sprintf("%d trade(s) under the same transaction conditions (%s) claim tier %s at a price above the reference %s, and only buyers with earlier trades with this seller got it: a loyalty surcharge, not a tier (Shaanxi Art. 37)",
		len(dear), g.key, strings.Join(names, ", "), ref)
	return f
}
