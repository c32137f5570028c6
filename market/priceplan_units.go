package market

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// What each unit sells, and the quantities it may be sold in unless the
// plan narrows them (min_quantity, step):
//
//	licence           the whole dataset, indivisible: whole licences, at least 1
//	per_1000_records  rows, counted in thousands: any whole number of rows (step 0.001), at least one row
//	per_call          API calls: whole calls, at least 1
//	per_month         months of access: whole months, at least 1
var unitQuantity = map[PriceUnit]struct {
	min, step decimal.Decimal
	what      string
}{
	UnitLicence:        {decimal.NewFromInt(1), decimal.NewFromInt(1), "whole-dataset licences (indivisible)"},
	UnitPer1000Records: {decimal.New(1, -3), decimal.New(1, -3), "thousands of rows (whole rows)"},
	UnitPerCall:        {decimal.NewFromInt(1), decimal.NewFromInt(1), "API calls"},
	UnitPerMonth:       {decimal.NewFromInt(1), decimal.NewFromInt(1), "months of access"},
}

// QuantityRule returns the smallest quantity the plan sells and the step
// quantities go up by: the plan's min_quantity and step when it sets them,
// else its unit's (a licence is indivisible: 1 and 1).
func (p *PricePlan) QuantityRule() (min, step decimal.Decimal) {
	u := unitQuantity[p.Unit]
	min, step = u.min, u.step
	if p.Step != nil {
		step = *p.Step
	}
	if p.MinQuantity != nil {
		min = *p.MinQuantity
	}
	return min, step
}

// CheckQuantity checks that qty is a quantity the plan sells: at least
// the minimum and a whole number of steps. It returns an ErrRefused *Error
// (HTTP 422), code quantity_not_sellable, naming field — the quantity as
// the request wrote it ("cost.volume", or "duration_months" for a
// per-month plan) — so that a fraction of an indivisible licence is never
// sold (issue 16: 0.00005 of a ¥12,000 licence became ¥0.60 for the whole
// dataset).
func (p *PricePlan) CheckQuantity(qty decimal.Decimal, field string) error {
	min, step := p.QuantityRule()
	what := unitQuantity[p.Unit].what
	refuse := func(format string, a ...any) error {
		e := Errorf(ErrRefused, "quantity_not_sellable", "%s: %s", field, fmt.Sprintf(format, a...))
		e.Field = field
		e.Details = map[string]string{"unit": string(p.Unit), "min_quantity": min.String(), "step": step.String(), "quantity": qty.String()}
		return e
	}
	if qty.LessThan(min) {
		return refuse("%s is below the plan's minimum of %s %s", qty, min, what)
	}
	if !qty.Mod(step).IsZero() {
		return refuse("%s is not a whole number of steps of %s %s", qty, step, what)
	}
	return nil
}

// validateQuantityRule checks a plan's min_quantity and step: positive,
// the step a whole multiple of the unit's own (a licence stays whole), and
// the minimum a whole number of steps.
func (p *PricePlan) validateQuantityRule() error {
	u := unitQuantity[p.Unit]
	if p.Step != nil && (!p.Step.IsPositive() || !p.Step.Mod(u.step).IsZero()) {
		return Invalid("step", "invalid_plan", "step: %s, want a positive multiple of %s for %s", p.Step, u.step, u.what)
	}
	min, step := p.QuantityRule()
	if p.MinQuantity != nil && (!p.MinQuantity.IsPositive() || !min.Mod(step).IsZero()) {
		return Invalid("min_quantity", "invalid_plan", "min_quantity: %s, want a positive whole number of steps of %s", p.MinQuantity, step)
	}
	return nil
}
