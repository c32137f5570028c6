package market

import (
	"slices"
	"strings"
	"testing"
	"time"
)

var tradeDay = time.Date(2026, 11, 10, 9, 0, 0, 0, time.UTC)

func intp(n int) *int    { return &n }
func boolp(b bool) *bool { return &b }
func timep(s string) *time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return &t
}

// mkTrade returns a trade of seller S1, listing L1, by a returning buyer
// (two earlier trades) at tradeDay plus n hours, with the usual conditions.
func mkTrade(id, buyer, price string, n int, edits ...func(*Trade)) Trade {
	t := Trade{ID: id, Time: tradeDay.Add(time.Duration(n) * time.Hour), SellerID: "S1", ListingID: "L1", BuyerID: buyer,
		BuyerKind: "organization", UnitPrice: MustMoney(price), Quantity: dec("1"), Conditions: conds("1"),
		BuyerFirstTradeAt: timep("2025-01-01T00:00:00Z"), BuyerPriorTrades: intp(2)}
	t.Amount = t.UnitPrice
	for _, e := range edits {
		e(&t)
	}
	return t
}

// newBuyer makes the trade's buyer a new customer of the seller.
func newBuyer(t *Trade) { t.BuyerFirstTradeAt, t.BuyerPriorTrades = nil, intp(0) }

// welcome claims the 30-day new-customer promotion "welcome".
func welcome(t *Trade) {
	t.PromotionID, t.PromotionKind = "welcome", "new_customer"
	t.PromotionStart, t.PromotionEnd = timep("2026-11-01T00:00:00Z"), timep("2026-12-01T00:00:00Z")
}

func flagsOf(res AuditResult, kind string) []PriceFlag {
	var out []PriceFlag
	for _, f := range res.Flags {
		if f.Kind == kind {
			out = append(out, f)
		}
	}
	return out
}

func rejectedReasons(f PriceFlag) string {
	var b strings.Builder
	for _, r := range f.ExceptionsRejected {
		b.WriteString(string(r.Exception) + ": " + r.Reason + "\n")
	}
	return b.String()
}

// auditCase is one Art. 37 scenario: the trades, the plans, the trades
// that must be at fault (nil: no price_difference flag) and the words
// the rejected exceptions must carry.
type auditCase struct {
	name     string
	trades   []Trade
	plans    []*PricePlan
	rs       func(*RuleSet)
	atFault  []string
	rejected string
}

func runAuditCases(t *testing.T, cases []auditCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rs := DefaultRuleSet()
			if c.rs != nil {
				c.rs(rs)
			}
			res := Audit(c.trades, rs, c.plans)
			flags := flagsOf(res, KindPriceDifference)
			if c.atFault == nil {
				if len(flags) != 0 {
					t.Fatalf("flagged %v: %s", flags[0].TradeIDs, flags[0].Reason)
				}
				return
			}
			if len(flags) != 1 {
				t.Fatalf("%d price_difference flags, want 1: %+v", len(flags), res.Flags)
			}
			f := flags[0]
			if !slices.Equal(f.TradeIDs, c.atFault) {
				t.Errorf("trades at fault %v, want %v", f.TradeIDs, c.atFault)
			}
			if f.Rule != RuleShaanxi37 || f.SellerID != "S1" || f.ListingID != "L1" {
				t.Errorf("flag %+v lacks rule, seller or listing", f)
			}
			if c.rejected != "" && !strings.Contains(rejectedReasons(f), c.rejected) {
				t.Errorf("rejected exceptions\n%s\nlack %q", rejectedReasons(f), c.rejected)
			}
		})
	}
}

func TestAudit_ShaanxiArt37_PriceDifference(t *testing.T) {
	res := Audit([]Trade{mkTrade("t1", "B1", "100.00", 0), mkTrade("t2", "B2", "130.00", 1), mkTrade("t3", "B3", "100.00", 2)}, DefaultRuleSet(), nil)
	if res.Trades != 3 || res.Groups != 1 || len(res.Flags) != 1 {
		t.Fatalf("result %+v", res)
	}
	f := res.Flags[0]
	if f.Kind != KindPriceDifference || !slices.Equal(f.TradeIDs, []string{"t2"}) || f.ReferencePrice.String() != "100.00" ||
		f.ReferenceSource != "lowest_in_group" || f.OverchargeTotal.String() != "30.00" || f.Overcharges[0].Overcharge.String() != "30.00" {
		t.Errorf("flag %+v", f)
	}
}

func TestAudit_ShaanxiArt37_ToleranceBoundary(t *testing.T) {
	runAuditCases(t, []auditCase{
		{name: "exactly 1% above the lowest passes", trades: []Trade{mkTrade("t1", "B1", "100.00", 0), mkTrade("t2", "B2", "101.00", 1)}},
		{name: "just above 1% is flagged", trades: []Trade{mkTrade("t1", "B1", "100.00", 0), mkTrade("t2", "B2", "101.0001", 1)}, atFault: []string{"t2"}},
		{name: "a wider tolerance from the rule set passes 5%", trades: []Trade{mkTrade("t1", "B1", "100.00", 0), mkTrade("t2", "B2", "105.00", 1)},
			rs: func(rs *RuleSet) { rs.Art37.Tolerance = dec("0.05") }},
	})
}

func TestAudit_ShaanxiArt37_2_OnlySameConditionsAreCompared(t *testing.T) {
	runAuditCases(t, []auditCase{
		{name: "another credit rating is another group", trades: []Trade{mkTrade("t1", "B1", "100.00", 0),
			mkTrade("t2", "B2", "130.00", 1, func(t *Trade) { t.Conditions.Credit = CreditC })}},
		{name: "another licence duration is another group", trades: []Trade{mkTrade("t1", "B1", "100.00", 0),
			mkTrade("t2", "B2", "130.00", 1, func(t *Trade) { t.Conditions.DurationMonths = 36 })}},
		{name: "volumes in one band are the same conditions", trades: []Trade{mkTrade("t1", "B1", "100.00", 0),
			mkTrade("t2", "B2", "130.00", 1, func(t *Trade) { t.Conditions.Cost.Volume = dec("900") })}, atFault: []string{"t2"}},
		{name: "buyer profile is never part of the key", trades: []Trade{mkTrade("t1", "B1", "100.00", 0, newBuyer),
			mkTrade("t2", "B2", "130.00", 1, func(t *Trade) { t.BuyerPriorTrades, t.BuyerKind = intp(50), "individual" })}, atFault: []string{"t2"}},
	})
}

func TestAudit_ShaanxiArt37_1_TierException(t *testing.T) {
	bulk := func(met *bool) func(*Trade) { return func(t *Trade) { t.TierID, t.TierCriteriaMet = "bulk", met } }
	plan := mustPlan(t)
	plan.Promotions, plan.RandomRules = nil, nil
	large := func(t *Trade) { t.Conditions.Cost.Volume = dec("600") }
	criteria := func(text string) func(*Trade) {
		return func(t *Trade) {
			k, err := ParseCriteria(text)
			if err != nil {
				panic(err)
			}
			t.TierCriteria = &k
		}
	}
	runAuditCases(t, []auditCase{
		{name: "a tier whose recorded criteria the trade meets explains a lower price", trades: []Trade{mkTrade("t1", "B1", "100.00", 0),
			mkTrade("t2", "B2", "100.00", 1), mkTrade("t3", "B3", "80.00", 2, bulk(nil), large, criteria("min_volume=500"))}},
		{name: "abuse: a tier with only a self-recorded tier_criteria_met is no evidence", trades: []Trade{mkTrade("t1", "B1", "100.00", 0),
			mkTrade("t2", "B2", "100.00", 1), mkTrade("t3", "B3", "80.00", 2, bulk(boolp(true)))}, atFault: []string{"t1", "t2"}, rejected: "self-recorded tier_criteria_met is not evidence"},
		{name: "abuse: recorded criteria the trade does not meet", trades: []Trade{mkTrade("t1", "B1", "100.00", 0),
			mkTrade("t2", "B2", "100.00", 1), mkTrade("t3", "B3", "80.00", 2, bulk(nil), criteria("min_volume=500"))}, atFault: []string{"t1", "t2"}, rejected: "do not meet tier bulk's recorded criteria"},
		{name: "abuse: a premium tier above the group's price is not explained", trades: []Trade{mkTrade("t1", "B1", "100.00", 0),
			mkTrade("t2", "B2", "130.00", 1, bulk(boolp(true)), criteria("credits=A"))}, atFault: []string{"t2"}, rejected: "a tier explains a lower price"},
		{name: "abuse: tier criteria not met", trades: []Trade{mkTrade("t1", "B1", "100.00", 0), mkTrade("t2", "B2", "100.00", 1),
			mkTrade("t3", "B3", "80.00", 2, bulk(boolp(false)))}, atFault: []string{"t1", "t2"}, rejected: "does not meet tier bulk's criteria"},
		{name: "abuse: a tier claimed without evidence", trades: []Trade{mkTrade("t1", "B1", "100.00", 0),
			mkTrade("t2", "B2", "130.00", 1, bulk(nil))}, atFault: []string{"t2"}, rejected: "no evidence"},
		{name: "with the plan: the trade's volume meets the tier", plans: []*PricePlan{plan}, trades: []Trade{mkTrade("t1", "B1", "100.00", 0),
			mkTrade("t2", "B2", "80.00", 1, large, bulk(nil))}},
		{name: "with the plan, abuse: the volume does not meet the tier", plans: []*PricePlan{plan}, trades: []Trade{mkTrade("t1", "B1", "100.00", 0),
			mkTrade("t2", "B2", "80.00", 1, bulk(boolp(true)))}, atFault: []string{"t2"}, rejected: "do not meet tier bulk's criteria"},
		{name: "with the plan, abuse: a tier the plan does not have", plans: []*PricePlan{plan}, trades: []Trade{mkTrade("t1", "B1", "100.00", 0),
			mkTrade("t2", "B2", "80.00", 1, func(t *Trade) { t.TierID = "friends" })}, atFault: []string{"t2"}, rejected: "not in price plan"},
	})
}

func TestAudit_ShaanxiArt37_2_NewCustomerPromotion(t *testing.T) {
	plan := mustPlan(t)
	plan.RandomRules = nil
	runAuditCases(t, []auditCase{
		{name: "a new customer in the promotion's period", trades: []Trade{mkTrade("t1", "B1", "100.00", 0),
			mkTrade("t2", "B2", "80.00", 1, newBuyer, welcome)}},
		{name: "with the plan: a new customer at the promotion price", plans: []*PricePlan{plan}, trades: []Trade{mkTrade("t1", "B1", "100.00", 0),
			mkTrade("t2", "B2", "80.00", 1, newBuyer, welcome)}},
		{name: "abuse: an expired promotion", trades: []Trade{mkTrade("t1", "B1", "100.00", 0),
			mkTrade("t2", "B2", "80.00", 1, newBuyer, welcome, func(t *Trade) { t.Time = time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC) })},
			atFault: []string{"t1"}, rejected: "(expired)"},
		{name: "abuse: a new customer who traded before (platform record)", trades: []Trade{mkTrade("t1", "B1", "100.00", 0),
			mkTrade("t2", "B2", "80.00", 1, welcome)}, atFault: []string{"t1"}, rejected: "not a new customer: 2 earlier trade(s)"},
		{name: "abuse: a new customer who traded before (in the data)", trades: []Trade{mkTrade("t0", "B2", "100.00", -5, newBuyer),
			mkTrade("t1", "B1", "100.00", 0), mkTrade("t2", "B2", "80.00", 1, newBuyer, welcome)},
			atFault: []string{"t0", "t1"}, rejected: "not a new customer: trade t0"},
		{name: "abuse: a promotion lasting years", trades: []Trade{mkTrade("t1", "B1", "100.00", 0),
			mkTrade("t2", "B2", "80.00", 1, newBuyer, welcome, func(t *Trade) {
				t.PromotionStart, t.PromotionEnd = timep("2024-01-01T00:00:00Z"), timep("2028-01-01T00:00:00Z")
			})},
			atFault: []string{"t1"}, rejected: "longer than a reasonable period of at most 90 days"},
		{name: "abuse: a promotion that is not for new customers", trades: []Trade{mkTrade("t1", "B1", "100.00", 0),
			mkTrade("t2", "B2", "80.00", 1, newBuyer, welcome, func(t *Trade) { t.PromotionKind = "vip" })},
			atFault: []string{"t1"}, rejected: "not an offer to new customers"},
		{name: "abuse: a promotion claimed for a higher price", trades: []Trade{mkTrade("t1", "B1", "100.00", 0),
			mkTrade("t2", "B2", "130.00", 1, newBuyer, welcome)}, atFault: []string{"t2"}, rejected: "explains a lower price"},
		{name: "with the plan, abuse: a deeper discount than the promotion's", plans: []*PricePlan{plan}, trades: []Trade{mkTrade("t1", "B1", "100.00", 0),
			mkTrade("t2", "B2", "50.00", 1, newBuyer, welcome)}, atFault: []string{"t2"}, rejected: "not the 80.00 the plan gives"},
	})
}

func TestAudit_ShaanxiArt37_3_RandomAllocation(t *testing.T) {
	plan := mustPlan(t)
	plan.Promotions = nil
	win, lose := drawIDs(t, plan.RandomRules[0])
	drew := func(id string) func(*Trade) { return func(t *Trade) { t.RandomRuleID, t.RandomDrawID = "lucky", id } }
	runAuditCases(t, []auditCase{
		{name: "a recorded draw that replays to a win", plans: []*PricePlan{plan}, trades: []Trade{mkTrade("t1", "B1", "100.00", 0),
			mkTrade("t2", "B2", "50.00", 1, drew(win))}},
		{name: "abuse: a draw that does not replay to a win", plans: []*PricePlan{plan}, trades: []Trade{mkTrade("t1", "B1", "100.00", 0),
			mkTrade("t2", "B2", "50.00", 1, drew(lose))}, atFault: []string{"t2"}, rejected: "replays to a loss"},
		{name: "abuse: a draw under a rule the plan does not have", plans: []*PricePlan{plan}, trades: []Trade{mkTrade("t1", "B1", "100.00", 0),
			mkTrade("t2", "B2", "50.00", 1, drew(win), func(t *Trade) { t.RandomRuleID = "secret" })}, atFault: []string{"t2"}, rejected: "not in price plan"},
		{name: "without the plan a draw cannot be replayed", trades: []Trade{mkTrade("t1", "B1", "100.00", 0),
			mkTrade("t2", "B2", "50.00", 1, drew(win))}, atFault: []string{"t1"}, rejected: "needed to replay"},
	})
}

func TestAudit_ShaanxiArt37_4_OperatorConfiguredLegalException(t *testing.T) {
	gov := func(t *Trade) { t.BuyerKind = "government" }
	legal := func(rs *RuleSet) {
		rs.LegalExceptions = []LegalException{{ID: "public-service", Basis: "Shaanxi Art. 37(4): public-service pricing for government bodies", BuyerKind: "government"}}
	}
	runAuditCases(t, []auditCase{
		{name: "a configured exception explains the government price", rs: legal, trades: []Trade{mkTrade("t1", "B1", "100.00", 0),
			mkTrade("t2", "B2", "60.00", 1, gov)}},
		{name: "without it the difference is flagged", trades: []Trade{mkTrade("t1", "B1", "100.00", 0),
			mkTrade("t2", "B2", "60.00", 1, gov)}, atFault: []string{"t1"}},
	})
}

func TestAudit_ShaanxiArt37_WithThePlanAHigherPriceIsAnOvercharge(t *testing.T) {
	plan := mustPlan(t)
	res := Audit([]Trade{mkTrade("t1", "B1", "100.00", 0), mkTrade("t2", "B2", "112.00", 1)}, DefaultRuleSet(), []*PricePlan{plan})
	if len(res.Flags) != 1 {
		t.Fatalf("flags %+v", res.Flags)
	}
	f := res.Flags[0]
	if f.ReferenceSource != "plan" || f.PlanVersion != 3 || f.ReferencePrice.String() != "100.00" || !slices.Equal(f.TradeIDs, []string{"t2"}) || f.OverchargeTotal.String() != "12.00" {
		t.Errorf("flag %+v", f)
	}
}

// habitTrades returns 12 trades of distinct buyers whose loyalty (earlier
// trades) is 0…11 and whose prices are 99.00 + 0.18·k, assigned by loyalty
// in the order given.
func habitTrades(order []int) []Trade {
	var out []Trade
	for k, loyalty := range order {
		price := MustMoney("99.00").Add(MustMoney("0.18").Mul(dec(string(rune('0'+k/10)) + string(rune('0'+k%10)))))
		tr := mkTrade("h"+string(rune('a'+loyalty)), "B"+string(rune('a'+loyalty)), price.String(), loyalty)
		tr.BuyerPriorTrades = intp(loyalty)
		tr.BuyerFirstTradeAt = timep("2026-01-01T00:00:00Z")
		out = append(out, tr)
	}
	return out
}

func TestAudit_ShaanxiArt37_HabitPatternOnItsOwn(t *testing.T) {
	plan := mustPlan(t)
	plan.Promotions, plan.RandomRules = nil, nil
	rising := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}
	res := Audit(habitTrades(rising), DefaultRuleSet(), []*PricePlan{plan})
	if n := len(flagsOf(res, KindPriceDifference)); n != 0 {
		t.Fatalf("%d price_difference flags: every price is within 1%% of the plan's 100.00", n)
	}
	habit := flagsOf(res, KindHabitPattern)
	if len(habit) != 1 {
		t.Fatalf("habit flags %+v, want one", res.Flags)
	}
	h := habit[0]
	if h.Habit == nil || h.Habit.Measure != "prior_trades" || h.Habit.Rho < 0.99 || h.Habit.PValue >= 0.01 || !h.Habit.Effect.GreaterThan(dec("0.01")) {
		t.Errorf("evidence %+v", h.Habit)
	}
	if h.Rule != RuleShaanxi37 || len(h.TradeIDs) == 0 || !h.OverchargeTotal.Decimal().IsPositive() || h.ReferencePrice.String() != "99.18" {
		t.Errorf("flag %+v", h)
	}
	again := Audit(habitTrades(rising), DefaultRuleSet(), []*PricePlan{plan})
	if again.Flags[0].Habit.PValue != h.Habit.PValue {
		t.Error("the permutation test does not replay")
	}

	t.Run("prices falling with loyalty are not a habit pattern", func(t *testing.T) {
		falling := []int{11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0}
		if res := Audit(habitTrades(falling), DefaultRuleSet(), []*PricePlan{plan}); len(res.Flags) != 0 {
			t.Errorf("flags %+v", res.Flags)
		}
	})
	t.Run("prices unrelated to loyalty are not a habit pattern", func(t *testing.T) {
		mixed := []int{5, 0, 9, 3, 11, 1, 7, 10, 2, 8, 4, 6}
		if res := Audit(habitTrades(mixed), DefaultRuleSet(), []*PricePlan{plan}); len(flagsOf(res, KindHabitPattern)) != 0 {
			t.Errorf("flags %+v", res.Flags)
		}
	})
	t.Run("too few trades for the test", func(t *testing.T) {
		if res := Audit(habitTrades(rising[:6]), DefaultRuleSet(), []*PricePlan{plan}); len(res.Flags) != 0 {
			t.Errorf("flags %+v", res.Flags)
		}
	})
}

func TestPriceFlag_RegulatorFlagCarriesTheEvidence(t *testing.T) {
	res := Audit([]Trade{mkTrade("t1", "B1", "100.00", 0), mkTrade("t2", "B2", "130.00", 1)}, DefaultRuleSet(), nil)
	party, listing := PartyID(NewID()), NewID()
	fl, err := res.Flags[0].RegulatorFlag(party, &listing, tradeDay)
	if err != nil {
		t.Fatal(err)
	}
	if fl.Rule != RuleShaanxi37 || fl.Article != ArticleShaanxi37 || fl.Kind != KindPriceDifference || fl.PartyID != party ||
		*fl.ListingID != listing || fl.Status != FlagOpen || !strings.Contains(string(fl.Evidence), `"overcharge_total":"30.00"`) {
		t.Errorf("flag %+v", fl)
	}
}
