package market

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// ParsePricePlan decodes and validates a price plan (docs/pricing.md).
// Unknown keys are rejected. It returns an ErrInvalid *Error naming the
// field at fault.
func ParsePricePlan(data []byte) (*PricePlan, error) {
	var p PricePlan
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return nil, jsonInputError(data, err)
	}
	if err := p.Validate(nil); err != nil {
		return nil, err
	}
	return &p, nil
}

// Validate checks a plan: a version, a known unit, a positive base price,
// tiers with a practice, new-customer promotions with a discount in (0,1)
// and a period no longer than the rule set allows (rs may be nil: 90
// days), random rules with odds in (0,1], a prize in (0,1] and a seed, and
// ids unique within their kind. It returns an ErrInvalid *Error naming the
// field; a promotion that is too long is refused under Shaanxi Art. 37.
func (p *PricePlan) Validate(rs *RuleSet) error {
	if p.Version < 1 {
		return Invalid("version", "invalid_plan", "version: %d, want a positive integer", p.Version)
	}
	switch p.Unit {
	case UnitLicence, UnitPer1000Records, UnitPerCall, UnitPerMonth:
	default:
		return Invalid("unit", "invalid_enum", "unit: %q, want licence, per_1000_records, per_call or per_month", p.Unit)
	}
	if err := p.validateQuantityRule(); err != nil {
		return err
	}
	if !p.BasePrice.Decimal().IsPositive() {
		return Invalid("base_price", "invalid_plan", "base_price: %s, want a positive amount", p.BasePrice)
	}
	ids := map[string]bool{}
	for i, t := range p.Tiers {
		f := fmt.Sprintf("tiers[%d]", i)
		if err := uniqueID(ids, "tier:", f, t.ID); err != nil {
			return err
		}
		if strings.TrimSpace(t.Practice) == "" {
			return Invalid(f+".practice", "invalid_plan", "%s.practice: name the trade practice or industry custom the tier rests on (Shaanxi Art. 37 exception (1))", f)
		}
		if !t.UnitPrice.Decimal().IsPositive() {
			return Invalid(f+".unit_price", "invalid_plan", "%s.unit_price: %s, want a positive amount", f, t.UnitPrice)
		}
	}
	maxDays := 90
	if rs != nil {
		maxDays = rs.Art37.MaxPromotionDays
	}
	one := decimal.NewFromInt(1)
	for i, x := range p.Promotions {
		f := fmt.Sprintf("promotions[%d]", i)
		if err := uniqueID(ids, "promotion:", f, x.ID); err != nil {
			return err
		}
		if x.Kind != PromotionNewCustomer {
			return Invalid(f+".kind", "invalid_enum", "%s.kind: %q, want new_customer", f, x.Kind)
		}
		if !x.Discount.IsPositive() || !x.Discount.LessThan(one) {
			return Invalid(f+".discount", "invalid_plan", "%s.discount: %s, want a fraction between 0 and 1", f, x.Discount)
		}
		if x.Start.IsZero() || !x.End.After(x.Start) {
			return Invalid(f+".end", "invalid_plan", "%s: want a start and an end after it", f)
		}
		if x.Days() > maxDays {
			e := Refused("Shaanxi Art. 37", "promotion_too_long", "%s: a new-customer promotion of %d days is not a reasonable period (at most %d)", f, x.Days(), maxDays)
			e.Kind, e.Field = ErrInvalid, f+".end"
			return e
		}
	}
	for i, c := range p.CostItems {
		f := fmt.Sprintf("cost_items[%d]", i)
		if err := uniqueID(ids, "cost:", f, c.ID); err != nil {
			return err
		}
		if strings.TrimSpace(c.Basis) == "" {
			return Invalid(f+".basis", "invalid_plan", "%s.basis: name the cost and the practice it rests on (Shaanxi Art. 37 exception (1))", f)
		}
		if !c.UnitAmount.Decimal().IsPositive() {
			return Invalid(f+".unit_amount", "invalid_plan", "%s.unit_amount: %s, want a positive amount", f, c.UnitAmount)
		}
	}
	if p.EffectiveFrom != nil && p.EffectiveTo != nil && !p.EffectiveTo.After(*p.EffectiveFrom) {
		return Invalid("effective_to", "invalid_plan", "effective_to: %s is not after effective_from %s", p.EffectiveTo.Format(time.RFC3339), p.EffectiveFrom.Format(time.RFC3339))
	}
	for i, r := range p.RandomRules {
		f := fmt.Sprintf("random_rules[%d]", i)
		if err := uniqueID(ids, "random:", f, r.ID); err != nil {
			return err
		}
		if !r.Odds.IsPositive() || r.Odds.GreaterThan(one) {
			return Invalid(f+".odds", "invalid_plan", "%s.odds: %s, want a probability in (0, 1]", f, r.Odds)
		}
		if !r.PrizeDiscount.IsPositive() || r.PrizeDiscount.GreaterThan(one) {
			return Invalid(f+".prize_discount", "invalid_plan", "%s.prize_discount: %s, want a fraction in (0, 1]", f, r.PrizeDiscount)
		}
		if strings.TrimSpace(r.Seed) == "" {
			return Invalid(f+".seed", "invalid_plan", "%s.seed: publish the seed so anyone can replay the draws", f)
		}
	}
	return nil
}

func uniqueID(seen map[string]bool, kind, field, id string) error {
	if strings.TrimSpace(id) == "" {
		return Invalid(field+".id", "missing", "%s.id: missing", field)
	}
	if seen[kind+id] {
		return Invalid(field+".id", "invalid_plan", "%s.id: %q used twice", field, id)
	}
	seen[kind+id] = true
	return nil
}
