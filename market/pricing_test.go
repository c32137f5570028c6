package market

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

var planAt = time.Date(2026, 11, 10, 12, 0, 0, 0, time.UTC)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }
func decp(s string) *decimal.Decimal {
	d := dec(s)
	return &d
}

// mustPlan returns a plan of listing L1 by seller S1: ¥100 per 1,000
// records, a volume tier at ¥80 from 500 units, a 30-day new-customer
// promotion (20 % off) and a random rule (odds 0.1, 50 % off).
func mustPlan(tb testing.TB) *PricePlan {
	tb.Helper()
	p := &PricePlan{ID: "P1", SellerID: "S1", ListingID: "L1", Version: 3, Unit: UnitPer1000Records, BasePrice: MustMoney("100.00"),
		Tiers: []Tier{{ID: "bulk", Criteria: Criteria{MinVolume: decp("500")}, UnitPrice: MustMoney("80.00"), Practice: "volume discount customary for bulk data licences"}},
		Promotions: []Promotion{{ID: "welcome", Kind: PromotionNewCustomer, Discount: dec("0.2"),
			Start: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}},
		RandomRules: []RandomRule{{ID: "lucky", Odds: dec("0.1"), PrizeDiscount: dec("0.5"), Seed: "published-seed-2026"}}}
	if err := p.Validate(nil); err != nil {
		tb.Fatal(err)
	}
	return p
}

func conds(volume string) Conditions {
	return Conditions{Security: Security{DeliveryMode: "encrypted_file", CertificationLevel: "L3"}, Cost: Cost{Volume: dec(volume), Channel: "standard"},
		Credit: CreditA, Stage: StageDirect, DurationMonths: 12}
}

// drawIDs returns a draw id that wins and one that loses under rule r.
func drawIDs(tb testing.TB, r RandomRule) (win, lose string) {
	tb.Helper()
	for i := 0; i < 10000 && (win == "" || lose == ""); i++ {
		id := fmt.Sprintf("draw-%d", i)
		if Draw(r, id).Won {
			if win == "" {
				win = id
			}
		} else if lose == "" {
			lose = id
		}
	}
	if win == "" || lose == "" {
		tb.Fatal("no winning or losing draw found")
	}
	return win, lose
}

func TestPrice(t *testing.T) {
	plan := mustPlan(t)
	old := BuyerHistory{PriorTrades: 2}
	cases := []struct {
		name    string
		c       Conditions
		h       BuyerHistory
		at      time.Time
		unit    string
		amount  string
		applied []Exception
	}{
		{"the base price for a returning buyer", conds("10"), old, planAt, "100.00", "1000.00", nil},
		{"the tier when the volume meets its criteria (Shaanxi Art. 37 exception (1))", conds("500"), old, planAt, "80.00", "40000.00", []Exception{ExceptionTier}},
		{"the promotion for a new buyer in its period (Shaanxi Art. 37 exception (2))", conds("10"), BuyerHistory{}, planAt, "80.00", "800.00", []Exception{ExceptionNewCustomer}},
		{"no promotion after its period", conds("10"), BuyerHistory{}, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), "100.00", "1000.00", nil},
		{"tier and promotion together", conds("500"), BuyerHistory{}, planAt, "64.00", "32000.00", []Exception{ExceptionTier, ExceptionNewCustomer}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := Price(plan, c.c, c.h, c.at)
			if err != nil {
				t.Fatal(err)
			}
			if p.UnitPrice.String() != c.unit || p.Amount.String() != c.amount {
				t.Errorf("unit %s amount %s, want %s and %s", p.UnitPrice, p.Amount, c.unit, c.amount)
			}
			var got []Exception
			for _, a := range p.Applied {
				got = append(got, a.Exception)
			}
			if fmt.Sprint(got) != fmt.Sprint(c.applied) {
				t.Errorf("applied %v, want %v", got, c.applied)
			}
			if p.PlanVersion != 3 {
				t.Errorf("plan version %d, want 3", p.PlanVersion)
			}
		})
	}
}

func TestPrice_ShaanxiArt37_3_DrawReplaysToTheSamePrize(t *testing.T) {
	plan := mustPlan(t)
	win, lose := drawIDs(t, plan.RandomRules[0])
	p, err := Price(plan, conds("10"), BuyerHistory{PriorTrades: 1}, planAt, WithDraw(win))
	if err != nil {
		t.Fatal(err)
	}
	if p.UnitPrice.String() != "50.00" || len(p.Draws) != 1 || !p.Draws[0].Won {
		t.Fatalf("winning draw priced %s with draws %+v", p.UnitPrice, p.Draws)
	}
	again := Draw(plan.RandomRules[0], win)
	if again != p.Draws[0] {
		t.Errorf("replay %+v differs from the draw %+v", again, p.Draws[0])
	}
	p, _ = Price(plan, conds("10"), BuyerHistory{PriorTrades: 1}, planAt, WithDraw(lose))
	if p.UnitPrice.String() != "100.00" {
		t.Errorf("losing draw priced %s, want 100.00", p.UnitPrice)
	}
	other := plan.RandomRules[0]
	other.Seed = "another-seed"
	if Draw(other, win).MAC == p.Draws[0].MAC {
		t.Error("a different seed gives the same draw")
	}
}

func TestDraw_WinsAtThePublishedOdds(t *testing.T) {
	r := RandomRule{ID: "r", Odds: dec("0.1"), PrizeDiscount: dec("0.5"), Seed: "s"}
	wins := 0
	for i := 0; i < 20000; i++ {
		if Draw(r, fmt.Sprint(i)).Won {
			wins++
		}
	}
	// Binomial(20000, 0.1): mean 2000, sd ≈ 42; ±5 sd.
	if wins < 1790 || wins > 2210 {
		t.Errorf("%d wins in 20000 draws at odds 0.1", wins)
	}
	if !Draw(RandomRule{Odds: dec("1"), Seed: "s"}, "x").Won {
		t.Error("odds 1 did not win")
	}
}

func TestPrice_PerMonthBillsTheDuration(t *testing.T) {
	plan := &PricePlan{ID: "M", Version: 1, Unit: UnitPerMonth, BasePrice: MustMoney("2000.00")}
	p, err := Price(plan, conds("1"), BuyerHistory{PriorTrades: 1}, planAt)
	if err != nil || p.Amount.String() != "24000.00" {
		t.Errorf("amount %s, %v; want 24000.00 for 12 months", p.Amount, err)
	}
}

func TestPrice_RejectsInvalidConditions(t *testing.T) {
	c := conds("10")
	c.Credit = "E"
	if _, err := Price(mustPlan(t), c, BuyerHistory{}, planAt); !errors.Is(err, ErrInvalid) {
		t.Errorf("error %v, want ErrInvalid", err)
	}
	if _, err := Price(mustPlan(t), conds("0"), BuyerHistory{}, planAt); !errors.Is(err, ErrInvalid) {
		t.Errorf("zero volume: error %v, want ErrInvalid", err)
	}
}

func TestPricePlanValidate_ShaanxiArt37_2_PromotionLastingAYearIsRefused(t *testing.T) {
	p := mustPlan(t)
	p.Promotions[0].End = p.Promotions[0].Start.AddDate(1, 0, 0)
	err := p.Validate(nil)
	var e *Error
	if !errors.As(err, &e) || e.Code != "promotion_too_long" || e.Article != ArticleShaanxi37 {
		t.Errorf("error %v, want promotion_too_long citing %s", err, ArticleShaanxi37)
	}
	rs := DefaultRuleSet()
	rs.Art37.MaxPromotionDays = 400
	if err := p.Validate(rs); err != nil {
		t.Errorf("with a 400-day limit: %v", err)
	}
}

func TestPricePlanValidate_ShaanxiArt37_1_TierMustNameItsPractice(t *testing.T) {
	p := mustPlan(t)
	p.Tiers[0].Practice = ""
	if err := p.Validate(nil); err == nil || !strings.Contains(err.Error(), "practice") {
		t.Errorf("error %v, want one about the practice", err)
	}
}

func TestNewQuote_ShaanxiArt37_ProfileNeverChangesThePrice(t *testing.T) {
	plan, rs := mustPlan(t), DefaultRuleSet()
	loyal := BuyerProfile{PriorTrades: 40, TotalSpend: MustMoney("900000.00"), TenureDays: 2000, Region: "610100", Channel: "app"}
	fresh := BuyerProfile{Region: "120100", Channel: "web"}
	h := BuyerHistory{PriorTrades: 1}
	q1, err1 := NewQuote(plan, rs, QuoteRequest{BuyerID: testBuyer1, Conditions: conds("10"), History: h, Profile: loyal}, planAt)
	q2, err2 := NewQuote(plan, rs, QuoteRequest{BuyerID: testBuyer2, Conditions: conds("10"), History: h, Profile: fresh}, planAt)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	// Draws differ per quote id; compare the prices before draws.
	if q1.Pricing.BaseUnitPrice != q2.Pricing.BaseUnitPrice || q1.Pricing.ConditionKey != q2.Pricing.ConditionKey {
		t.Errorf("profiles changed the price: %+v vs %+v", q1.Pricing, q2.Pricing)
	}
	if q1.Profile != loyal || !q1.ExpiresAt.Equal(planAt.Add(15*time.Minute)) {
		t.Errorf("quote %+v does not record the profile or the 15-minute validity", q1)
	}
}

func TestNewQuote_ShaanxiArt37_NegotiatedPriceIsCheckedTheSameWay(t *testing.T) {
	plan, rs := mustPlan(t), DefaultRuleSet()
	plan.RandomRules = nil
	h := BuyerHistory{PriorTrades: 1}
	ok := MustMoney("101.00")
	if _, err := NewQuote(plan, rs, QuoteRequest{BuyerID: testBuyer1, Conditions: conds("10"), History: h, Negotiated: &ok}, planAt); err != nil {
		t.Errorf("a price 1%% above the plan was refused: %v", err)
	}
	high := MustMoney("101.01")
	_, err := NewQuote(plan, rs, QuoteRequest{BuyerID: testBuyer1, Conditions: conds("10"), History: h, Negotiated: &high}, planAt)
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrRefused) || e.Article != ArticleShaanxi37 || e.Code != "price_unexplained" {
		t.Fatalf("error %v, want a price_unexplained refusal under %s", err, ArticleShaanxi37)
	}
	f, _ := e.Details.(*PriceFlag)
	if f == nil || f.ReferencePrice.String() != "100.00" || f.OverchargeTotal.String() != "10.10" {
		t.Errorf("details %+v, want reference 100.00 and overcharge 10.10 (0.01 × 10 units)", e.Details)
	}
}

// testBuyer1 and testBuyer2 are two buyer parties of the quote tests.
var testBuyer1, testBuyer2 = PartyID(NewID()), PartyID(NewID())
