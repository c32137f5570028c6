package market

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"
)

// Exception names an Art. 37 exception, as quotes and flags write it.
type Exception string

// The exceptions of Shaanxi Art. 37.
const (
	// ExceptionTier (1): different terms for genuine needs under normal
	// trade practice and industry custom.
	ExceptionTier Exception = "tier"
	// ExceptionCost (1): a cost the trade adds (custom extraction, a
	// dedicated line) that the plan prices as a cost item, under the same
	// trade practice.
	ExceptionCost Exception = "cost_difference"
	// ExceptionNewCustomer (2): an offer to new customers for a reasonable period.
	ExceptionNewCustomer Exception = "new_customer_promotion"
	// ExceptionRandom (3): random allocation under fair, reasonable,
	// non-discriminatory rules.
	ExceptionRandom Exception = "random_allocation"
	// ExceptionLegal (4): another case the law allows, configured by an operator.
	ExceptionLegal Exception = "legal_exception"
)

// Applied is an exception the pricing engine applied to a price.
type Applied struct {
	Exception Exception `json:"exception"`
	ID        string    `json:"id"`
	// Basis is the tier's practice, the promotion's period, the draw's
	// result or the law an operator named.
	Basis     string `json:"basis"`
	UnitPrice Money  `json:"unit_price"`
}

// Pricing is the engine's price for one set of conditions: the plan and
// version used, the condition key, the list price before exceptions, the
// final unit price, the billable quantity, the amount, the exceptions
// applied and the draws made.
type Pricing struct {
	PlanID        string          `json:"plan_id"`
	PlanVersion   int             `json:"plan_version"`
	Unit          PriceUnit       `json:"unit"`
	ConditionKey  string          `json:"condition_key"`
	BaseUnitPrice Money           `json:"base_unit_price"`
	UnitPrice     Money           `json:"unit_price"`
	Quantity      decimal.Decimal `json:"quantity"`
	Amount        Money           `json:"amount"`
	Applied       []Applied       `json:"applied"`
	Draws         []DrawResult    `json:"draws"`
	At            time.Time       `json:"at"`
}

// PriceOption adjusts Price.
type PriceOption func(*priceOpts)

type priceOpts struct {
	drawID string
	rs     *RuleSet
}

// WithDraw makes the random-allocation draws of the plan's active rules
// under drawID (the quote id), so they can be replayed.
func WithDraw(drawID string) PriceOption { return func(o *priceOpts) { o.drawID = drawID } }

// WithRuleSet prices under rs (its condition bands and the longest
// reasonable promotion) instead of the default rule set.
func WithRuleSet(rs *RuleSet) PriceOption { return func(o *priceOpts) { o.rs = rs } }

// Price computes the price plan gives conditions c at time at. It reads of
// the buyer only h, whether they traded with this seller before, for
// new-customer promotions; buyer-profile attributes are never an input.
//
// The unit price is the list price (the cheapest tier whose criteria c
// meets, else the base price), less an active new-customer promotion when
// the buyer is new and the promotion's period is reasonable, less the
// prize of every active random rule whose draw wins (only WithDraw makes
// draws). Unit prices are rounded to 4 places, the amount to the fen.
// The billable quantity is c.Cost.Volume, or c.DurationMonths for a
// per-month plan. It returns an ErrInvalid *Error for invalid conditions
// or a zero quantity, and an ErrRefused *Error (quantity_not_sellable)
// for a quantity the plan does not sell (PricePlan.CheckQuantity). Safe
// for concurrent use.
func Price(plan *PricePlan, c Conditions, h BuyerHistory, at time.Time, opts ...PriceOption) (Pricing, error) {
	o := priceOpts{}
	for _, f := range opts {
		f(&o)
	}
	if o.rs == nil {
		o.rs = DefaultRuleSet()
	}
	if err := c.Validate(); err != nil {
		return Pricing{}, err
	}
	qty := c.Cost.Volume
	if plan.Unit == UnitPerMonth {
		qty = decimal.NewFromInt(int64(c.DurationMonths))
	}
	if !qty.IsPositive() {
		return Pricing{}, Invalid("cost.volume", "invalid_number", "cost.volume: the billable quantity (%s) must be positive", plan.Unit)
	}
	field := "cost.volume"
	if plan.Unit == UnitPerMonth {
		field = "duration_months"
	}
	if err := plan.CheckQuantity(qty, field); err != nil {
		return Pricing{}, err
	}
	list, tier := plan.ListUnitPrice(c)
	p := Pricing{PlanID: plan.ID, PlanVersion: plan.Version, Unit: plan.Unit, ConditionKey: c.Key(&o.rs.Art37),
		BaseUnitPrice: plan.BasePrice, UnitPrice: list, Quantity: qty, Applied: []Applied{}, Draws: []DrawResult{}, At: at.UTC()}
	if tier != nil {
		p.Applied = append(p.Applied, Applied{Exception: ExceptionTier, ID: tier.ID, Basis: tier.Practice, UnitPrice: list})
	}
	if promo, ok := bestPromotion(plan, h, at, o.rs.Art37.MaxPromotionDays); ok {
		p.UnitPrice = discount(p.UnitPrice, promo.Discount)
		p.Applied = append(p.Applied, Applied{Exception: ExceptionNewCustomer, ID: promo.ID,
			Basis:     fmt.Sprintf("new customer, %s off from %s to %s", promo.Discount, promo.Start.Format(time.RFC3339), promo.End.Format(time.RFC3339)),
			UnitPrice: p.UnitPrice})
	}
	if o.drawID != "" {
		for _, r := range plan.RandomRules {
			if !r.ActiveAt(at) {
				continue
			}
			d := Draw(r, o.drawID)
			p.Draws = append(p.Draws, d)
			if d.Won {
				p.UnitPrice = discount(p.UnitPrice, r.PrizeDiscount)
				p.Applied = append(p.Applied, Applied{Exception: ExceptionRandom, ID: r.ID,
					Basis: fmt.Sprintf("draw %s won (u=%s < odds %s), prize %s off", d.DrawID, d.U, r.Odds, r.PrizeDiscount), UnitPrice: p.UnitPrice})
			}
		}
	}
	p.Amount = p.UnitPrice.Mul(qty).Round()
	return p, nil
}

// bestPromotion returns the largest new-customer discount active at at for
// a new buyer whose period is reasonable (at most maxDays).
func bestPromotion(plan *PricePlan, h BuyerHistory, at time.Time, maxDays int) (Promotion, bool) {
	if !h.IsNew(at) {
		return Promotion{}, false
	}
	var best Promotion
	found := false
	for _, x := range plan.Promotions {
		if x.Kind == PromotionNewCustomer && x.ActiveAt(at) && x.Days() <= maxDays &&
			(!found || x.Discount.GreaterThan(best.Discount)) {
			best, found = x, true
		}
	}
	return best, found
}

// discount returns m less the fraction f, rounded to 4 places.
func discount(m Money, f decimal.Decimal) Money {
	return NewMoney(m.Decimal().Mul(decimal.NewFromInt(1).Sub(f)).Round(4))
}
