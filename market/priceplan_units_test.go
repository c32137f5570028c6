package market

import (
	"errors"
	"testing"
)

// TestPrice_WhatIsPaidIsWhatIsSold checks each unit kind's quantities: a
// whole-dataset licence is indivisible, rows are sold whole, API calls
// and months whole, and a plan's min_quantity and step narrow them.
func TestPrice_WhatIsPaidIsWhatIsSold(t *testing.T) {
	cases := []struct {
		name      string
		unit      PriceUnit
		min, step string
		volume    string
		months    int
		field     string // "" when the quantity is sold
		amount    string
	}{
		{name: "a licence: 0.00005 of a ¥12,000 licence is refused, not sold for ¥0.60", unit: UnitLicence, volume: "0.00005", field: "cost.volume"},
		{name: "a licence: half a licence is refused", unit: UnitLicence, volume: "1.5", field: "cost.volume"},
		{name: "a licence: two whole licences are sold", unit: UnitLicence, volume: "2", amount: "24000.00"},
		{name: "rows: 2.5 thousand rows are sold", unit: UnitPer1000Records, volume: "2.5", amount: "30000.00"},
		{name: "rows: half a row is refused", unit: UnitPer1000Records, volume: "0.0005", field: "cost.volume"},
		{name: "rows: below the plan's minimum of 1,000 rows is refused", unit: UnitPer1000Records, min: "1", volume: "0.5", field: "cost.volume"},
		{name: "API calls: 100 calls are sold", unit: UnitPerCall, volume: "100", amount: "1200000.00"},
		{name: "API calls: not in the plan's steps of 1,000 calls", unit: UnitPerCall, step: "1000", volume: "1500", field: "cost.volume"},
		{name: "months: 6 months of access are sold", unit: UnitPerMonth, volume: "1", months: 6, amount: "72000.00"},
		{name: "months: below the plan's minimum of 12 months is refused", unit: UnitPerMonth, min: "12", volume: "1", months: 6, field: "duration_months"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			plan := &PricePlan{ID: "P", SellerID: "S1", ListingID: "L1", Version: 1, Unit: c.unit, BasePrice: MustMoney("12000.00")}
			if c.min != "" {
				d := dec(c.min)
				plan.MinQuantity = &d
			}
			if c.step != "" {
				d := dec(c.step)
				plan.Step = &d
			}
			if err := plan.Validate(nil); err != nil {
				t.Fatal(err)
			}
			cd := conds(c.volume)
			cd.DurationMonths = c.months
			p, err := Price(plan, cd, BuyerHistory{}, tradeDay)
			if c.field == "" {
				if err != nil || p.Amount.String() != c.amount {
					t.Fatalf("amount %s (%v), want %s", p.Amount, err, c.amount)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, ErrRefused) || e.Code != "quantity_not_sellable" || e.Field != c.field {
				t.Fatalf("error %v, want ErrRefused quantity_not_sellable on %s", err, c.field)
			}
		})
	}
}

func TestPricePlan_QuantityRuleIsValidated(t *testing.T) {
	half, zero := dec("0.5"), dec("0")
	for name, p := range map[string]*PricePlan{
		"a licence sold in halves": {Version: 1, Unit: UnitLicence, BasePrice: MustMoney("1"), Step: &half},
		"a zero minimum":           {Version: 1, Unit: UnitPerCall, BasePrice: MustMoney("1"), MinQuantity: &zero},
	} {
		t.Run(name, func(t *testing.T) {
			if err := p.Validate(nil); !errors.Is(err, ErrInvalid) {
				t.Errorf("error %v, want ErrInvalid", err)
			}
		})
	}
}

// TestNewQuote_ShaanxiArt37_2_ConditionsInTheVocabularysValues: a quote
// asked as "Encrypted_File" over "标准" is priced and keyed as
// encrypted_file over standard, the key the detector compares; a value the
// vocabulary does not know is refused naming its field.
func TestNewQuote_ShaanxiArt37_2_ConditionsInTheVocabularysValues(t *testing.T) {
	plan, rs := mustPlan(t), DefaultRuleSet()
	plan.Promotions, plan.RandomRules = nil, nil
	spelt := conds("10")
	spelt.Security.DeliveryMode, spelt.Cost.Channel = " Encrypted_File ", "标准"
	a, err := NewQuote(plan, rs, QuoteRequest{BuyerID: testBuyer1, Conditions: spelt}, planAt)
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewQuote(plan, rs, QuoteRequest{BuyerID: testBuyer2, Conditions: conds("10")}, planAt)
	if err != nil {
		t.Fatal(err)
	}
	if a.Pricing.ConditionKey != b.Pricing.ConditionKey || a.Conditions.Security.DeliveryMode != "encrypted_file" || a.UnitPrice.Cmp(b.UnitPrice) != 0 {
		t.Errorf("keys %q and %q, prices %s and %s", a.Pricing.ConditionKey, b.Pricing.ConditionKey, a.UnitPrice, b.UnitPrice)
	}
	spelt.Cost.Channel = "carrier pigeon"
	_, err = NewQuote(plan, rs, QuoteRequest{BuyerID: testBuyer1, Conditions: spelt}, planAt)
	var e *Error
	if !errors.As(err, &e) || e.Code != "unrecognized_condition" || e.Field != FieldChannel {
		t.Errorf("error %v, want unrecognized_condition on %s", err, FieldChannel)
	}
}
