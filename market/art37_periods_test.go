package market

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// tradeCSV builds a trade file with the optional columns from rows of
// "id,day,buyer,price,security,cost,prior,tier_id,plan_version,tier_criteria"
// (day: November day number; prior: the buyer's earlier trades).
func tradeCSV(tb testing.TB, withVersion bool, rows ...string) []Trade {
	tb.Helper()
	var b strings.Builder
	if withVersion {
		b.WriteString(tradeHeader2)
	} else {
		b.WriteString(tradeHeader)
	}
	for _, r := range rows {
		c := strings.Split(r, ",")
		for len(c) < 10 {
			c = append(c, "")
		}
		fmt.Fprintf(&b, "%s,2026-11-%02sT10:00:00Z,S1,L1,%s,organization,%s,1,,%s,%s,A,direct,12,,%s,,,,,%s,,,",
			c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7])
		if withVersion {
			fmt.Fprintf(&b, ",%s,%s,,", c[8], c[9])
		}
		b.WriteString("\n")
	}
	trades, err := ReadTrades(strings.NewReader(b.String()), "t.csv")
	if err != nil {
		tb.Fatal(err)
	}
	return trades
}

func kinds(res AuditResult) []string {
	var out []string
	for _, f := range res.Flags {
		out = append(out, f.Kind)
	}
	return out
}

// Case 1 of issue 16: every buyer's price rose from 100 to 110 on
// 1 November. A change for everyone is not discrimination.
func TestAudit_ShaanxiArt37_APriceRiseForEveryoneOn1NovemberIsNotFlagged(t *testing.T) {
	var rows []string
	for d := 1; d <= 20; d++ { // October at 100, by ten buyers
		rows = append(rows, fmt.Sprintf("o%d,%d,B%d,100.00,encrypted_file,standard,%d", d, d, d%10, d/10))
	}
	for d := 1; d <= 20; d++ { // November at 110, by the same buyers, more loyal now
		rows = append(rows, fmt.Sprintf("n%d,%d,B%d,110.00,encrypted_file,standard,%d", d, d, d%10, 2+d/10))
	}
	// The October trades are dated 11…30 October.
	october := func(trades []Trade) {
		for i := range trades {
			if strings.HasPrefix(trades[i].ID, "o") {
				trades[i].Time = trades[i].Time.AddDate(0, -1, 10)
			}
		}
	}
	t.Run("without a plan_version column the change is inferred and reported", func(t *testing.T) {
		trades := tradeCSV(t, false, rows...)
		october(trades)
		res := Audit(trades, DefaultRuleSet(), nil)
		if len(res.Flags) != 0 {
			t.Fatalf("flags %v: %s", kinds(res), res.Flags[0].Reason)
		}
		if res.Periods != PeriodsInferred || len(res.PriceChanges) != 1 || len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "no plan_version column") {
			t.Fatalf("periods %q, changes %+v, notes %q", res.Periods, res.PriceChanges, res.Notes)
		}
		c := res.PriceChanges[0]
		if c.From.String() != "100.00" || c.To.String() != "110.00" || c.At.Format("2006-01-02") != "2026-11-01" || c.TradesBefore != 20 || c.TradesAfter != 20 {
			t.Errorf("change %+v", c)
		}
	})
	t.Run("with plan versions 1 and 2 the trades are compared per version", func(t *testing.T) {
		var vrows []string
		for _, r := range rows {
			v := "1"
			if r[0] == 'n' {
				v = "2"
			}
			vrows = append(vrows, r+",,"+v)
		}
		trades := tradeCSV(t, true, vrows...)
		october(trades)
		res := Audit(trades, DefaultRuleSet(), nil)
		if len(res.Flags) != 0 || res.Periods != PeriodsPlanVersion || res.Groups != 2 {
			t.Fatalf("flags %v, periods %q, groups %d", kinds(res), res.Periods, res.Groups)
		}
	})
	t.Run("the same rise for some buyers only is flagged", func(t *testing.T) {
		some := slices.Clone(rows)
		for k := 20; k < 40; k += 2 { // every other November trade still at 100
			some[k] = strings.Replace(some[k], "110.00", "100.00", 1)
		}
		trades := tradeCSV(t, false, some...)
		october(trades)
		res := Audit(trades, DefaultRuleSet(), nil)
		f := flagsOf(res, KindPriceDifference)
		if len(f) != 1 || len(f[0].TradeIDs) != 10 || f[0].ReferencePrice.String() != "100.00" || len(res.PriceChanges) != 0 {
			t.Fatalf("flags %+v, changes %+v", res.Flags, res.PriceChanges)
		}
	})
}

// Case 2 of issue 16: repeat buyers charged 30 % more under a "tier" the
// seller recorded itself, audited without the plan.
func TestAudit_ShaanxiArt37_ASelfRecordedTierForRepeatBuyersAt30PercentIsFlagged(t *testing.T) {
	var rows []string
	for k := 0; k < 12; k++ {
		if k%3 == 0 {
			// a repeat buyer, "tier" loyal, criteria met by the seller's own account
			rows = append(rows, fmt.Sprintf("r%d,%d,R%d,130.00,encrypted_file,standard,%d,loyal", k, k+1, k, 3+k))
		} else {
			rows = append(rows, fmt.Sprintf("f%d,%d,F%d,100.00,encrypted_file,standard,0", k, k+1, k))
		}
	}
	trades := tradeCSV(t, false, rows...)
	for i := range trades {
		if trades[i].TierID != "" {
			trades[i].TierCriteriaMet = boolp(true)
		}
	}
	res := Audit(trades, DefaultRuleSet(), nil)
	want := []string{"r0", "r3", "r6", "r9"}
	diff, habit := flagsOf(res, KindPriceDifference), flagsOf(res, KindHabitPattern)
	if len(diff) != 1 || !slices.Equal(diff[0].TradeIDs, want) || diff[0].OverchargeTotal.String() != "120.00" {
		t.Fatalf("price_difference flags %+v", diff)
	}
	if !strings.Contains(rejectedReasons(diff[0]), "self-recorded tier_criteria_met is not evidence") {
		t.Errorf("rejected %s", rejectedReasons(diff[0]))
	}
	if len(habit) != 1 || !slices.Equal(habit[0].TradeIDs, want) || !strings.Contains(habit[0].Reason, "only buyers with earlier trades") {
		t.Fatalf("habit flags %+v", habit)
	}
	t.Run("a tier a new buyer gets too is not the habit pattern", func(t *testing.T) {
		trades := tradeCSV(t, false, rows...)
		trades[0].BuyerPriorTrades = intp(0)
		if f := flagsOf(Audit(trades, DefaultRuleSet(), nil), KindHabitPattern); len(f) != 0 {
			t.Errorf("habit flags %+v", f)
		}
	})
}

// Case 3 of issue 16: repeat buyers whose conditions were written
// Standard / Encrypted_File, charged 25 % more. The spellings are one group.
func TestAudit_ShaanxiArt37_ConditionSpellingsAreOneGroupAndThe25PercentIsFlagged(t *testing.T) {
	var rows []string
	for k := 0; k < 10; k++ {
		if k%2 == 0 {
			rows = append(rows, fmt.Sprintf("n%d,%d,N%d,100.00,encrypted_file,standard,0", k, k+1, k))
		} else {
			rows = append(rows, fmt.Sprintf("r%d,%d,R%d,125.00, Encrypted_File ,Standard,%d", k, k+1, k, k))
		}
	}
	res := Audit(tradeCSV(t, false, rows...), DefaultRuleSet(), nil)
	if res.Groups != 1 {
		t.Fatalf("%d groups, want 1", res.Groups)
	}
	f := flagsOf(res, KindPriceDifference)
	if len(f) != 1 || !slices.Equal(f[0].TradeIDs, []string{"r1", "r3", "r5", "r7", "r9"}) || f[0].OverchargeTotal.String() != "125.00" {
		t.Fatalf("flags %+v", res.Flags)
	}
	t.Run("Chinese synonyms and full-width letters are the same values", func(t *testing.T) {
		rows := []string{"a,1,B1,100.00,encrypted_file/L3,standard,0", "b,2,B2,125.00,加密文件/三级,标准,0", "c,3,B3,100.00,ＥＮＣＲＹＰＴＥＤ-ＦＩＬＥ/l3,STANDARD,0"}
		res := Audit(tradeCSV(t, false, rows...), DefaultRuleSet(), nil)
		if f := flagsOf(res, KindPriceDifference); res.Groups != 1 || len(f) != 1 || !slices.Equal(f[0].TradeIDs, []string{"b"}) {
			t.Fatalf("groups %d, flags %+v", res.Groups, res.Flags)
		}
	})
}

func TestAudit_ShaanxiArt37_2_AnUnrecognizedConditionIsReportedNotGrouped(t *testing.T) {
	rows := []string{"a,1,B1,100.00,encrypted_file,standard,0", "b,2,B2,125.00,encrypted_fiel,standard,0",
		"c,3,B3,125.00,encrypted_file,carrier_pigeon,0", "d,4,B4,100.00,encrypted_file,standard,0"}
	trades := tradeCSV(t, false, rows...)
	trades[3].Conditions.Stage = "smuggled"
	res := Audit(trades, DefaultRuleSet(), nil)
	u := flagsOf(res, KindUnrecognizedCondition)
	if len(u) != 1 || !slices.Equal(u[0].TradeIDs, []string{"b", "c", "d"}) || len(flagsOf(res, KindPriceDifference)) != 0 {
		t.Fatalf("flags %+v", res.Flags)
	}
	if got, want := u[0].ConditionKey, "cost.channel=carrier_pigeon;security.delivery_mode=encrypted_fiel;stage=smuggled"; got != want {
		t.Errorf("key %q, want %q", got, want)
	}
	if res.Groups != 1 {
		t.Errorf("%d groups: unrecognized values formed groups of their own", res.Groups)
	}
}

func TestAudit_ShaanxiArt37_APlanVersionAppliedToSomeBuyersOnlyIsFlagged(t *testing.T) {
	// Version 2 (110) starts on 10 November, but buyers V1 and V2 keep
	// version 1 (100) until the 20th.
	var rows []string
	for d := 1; d <= 20; d++ {
		switch {
		case d < 10:
			rows = append(rows, fmt.Sprintf("a%d,%d,A%d,100.00,encrypted_file,standard,1,,1", d, d, d))
		case d%2 == 0:
			rows = append(rows, fmt.Sprintf("b%d,%d,V%d,100.00,encrypted_file,standard,1,,1", d, d, d%4/2+1))
		default:
			rows = append(rows, fmt.Sprintf("c%d,%d,C%d,110.00,encrypted_file,standard,1,,2", d, d, d))
		}
	}
	res := Audit(tradeCSV(t, true, rows...), DefaultRuleSet(), nil)
	f := flagsOf(res, KindSelectivePriceChange)
	if len(f) != 1 || len(f[0].TradeIDs) != 5 || f[0].PlanVersion != 2 || f[0].ReferencePrice.String() != "100.00" || f[0].OverchargeTotal.String() != "50.00" {
		t.Fatalf("flags %+v", res.Flags)
	}
	if n := len(flagsOf(res, KindPriceDifference)); n != 0 {
		t.Errorf("%d price_difference flags: each version charges one price", n)
	}
	t.Run("a version that applies different prices in the same conditions is flagged on its own", func(t *testing.T) {
		rows := []string{"a,1,B1,110.00,encrypted_file,standard,0,,2", "b,2,B2,130.00,encrypted_file,standard,4,,2", "c,3,B3,100.00,encrypted_file,standard,0,,1"}
		res := Audit(tradeCSV(t, true, rows...), DefaultRuleSet(), nil)
		f := flagsOf(res, KindPriceDifference)
		if len(f) != 1 || f[0].PlanVersion != 2 || !slices.Equal(f[0].TradeIDs, []string{"b"}) || f[0].ReferencePrice.String() != "110.00" {
			t.Fatalf("flags %+v", res.Flags)
		}
	})
}

func TestAudit_ShaanxiArt37_1_CostDifferenceNeedsEvidence(t *testing.T) {
	cost := func(amount string) func(*Trade) {
		return func(t *Trade) {
			t.CostClaimID = "custom_extract"
			if amount != "" {
				m := MustMoney(amount)
				t.CostClaimAmount = &m
			}
		}
	}
	plan := mustPlan(t)
	plan.Promotions, plan.RandomRules, plan.Tiers = nil, nil, nil
	plan.CostItems = []CostItem{{ID: "custom_extract", Basis: "custom extraction by the seller's engineers", UnitAmount: MustMoney("20.00")}}
	runAuditCases(t, []auditCase{
		{name: "a recorded cost explains the higher price", trades: []Trade{mkTrade("t1", "B1", "100.00", 0), mkTrade("t2", "B2", "120.00", 1, cost("20.00"))}},
		{name: "abuse: a cost claimed without its amount", trades: []Trade{mkTrade("t1", "B1", "100.00", 0), mkTrade("t2", "B2", "120.00", 1, cost(""))},
			atFault: []string{"t2"}, rejected: "no evidence of the cost difference"},
		{name: "abuse: a price above the recorded cost", trades: []Trade{mkTrade("t1", "B1", "100.00", 0), mkTrade("t2", "B2", "150.00", 1, cost("20.00"))},
			atFault: []string{"t2"}, rejected: "explains at most 120.00"},
		{name: "with the plan: its cost item explains the price", plans: []*PricePlan{plan}, trades: []Trade{mkTrade("t1", "B1", "100.00", 0), mkTrade("t2", "B2", "120.00", 1, cost(""))}},
		{name: "with the plan, abuse: a cost item the plan does not have", plans: []*PricePlan{plan}, trades: []Trade{mkTrade("t1", "B1", "100.00", 0),
			mkTrade("t2", "B2", "120.00", 1, cost(""), func(t *Trade) { t.CostClaimID = "gold_plating" })}, atFault: []string{"t2"}, rejected: "not in price plan"},
	})
}

func TestFoldTerm(t *testing.T) {
	for in, want := range map[string]string{" Encrypted_File ": "encrypted_file", "encrypted file": "encrypted_file", "ＡＰＩ": "api",
		"Encrypted--File": "encrypted_file", "加密文件": "加密文件", "": ""} {
		if got := FoldTerm(in); got != want {
			t.Errorf("FoldTerm(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseRuleSet_ShaanxiArt37_VocabularyIsChecked(t *testing.T) {
	base := string(DefaultRuleSetJSON())
	cases := []struct{ name, from, to, field string }{
		{"a spelling that means two values", `"synonyms": ["file", "plain file"`, `"synonyms": ["Encrypted File", "plain file"`, "art37.vocabulary.delivery_mode[1].synonyms"},
		{"a credit outside A–D", `{"value": "D", "synonyms"`, `{"value": "E", "synonyms"`, "art37.vocabulary.credit[3].value"},
		{"a stage the law does not name", `{"value": "resale", "synonyms"`, `{"value": "auction", "synonyms"`, "art37.vocabulary.stage[2].value"},
		{"a duration that is not months", `{"value": "36", "synonyms"`, `{"value": "3y", "synonyms"`, "art37.vocabulary.duration[6].value"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := strings.Replace(base, c.from, c.to, 1)
			if in == base {
				t.Fatal("the test did not change the input")
			}
			_, err := ParseRuleSet([]byte(in))
			var e *Error
			if !errors.As(err, &e) || e.Field != c.field {
				t.Fatalf("error %v, want one naming %s", err, c.field)
			}
		})
	}
	t.Run("durations written as words map to months", func(t *testing.T) {
		rs := DefaultRuleSet()
		c, bad := NewNormalizer(&rs.Art37).Normalize(conds("1"), "一年")
		if bad != nil || c.DurationMonths != 12 {
			t.Errorf("duration %d, unrecognized %v", c.DurationMonths, bad)
		}
	})
}

// FuzzFoldTerm: folding never panics, is idempotent, and a value the
// vocabulary maps is mapped the same way from its folded spelling.
func FuzzFoldTerm(f *testing.F) {
	for _, s := range []string{" Encrypted_File ", "加密文件", "ＡＰＩ", "a--b  c", "\u00a0x\u3000"} {
		f.Add(s)
	}
	rs := DefaultRuleSet()
	n := NewNormalizer(&rs.Art37)
	f.Fuzz(func(t *testing.T, s string) {
		once := FoldTerm(s)
		if twice := FoldTerm(once); twice != once {
			t.Fatalf("FoldTerm(%q) = %q, but FoldTerm of that = %q", s, once, twice)
		}
		c := conds("1")
		c.Security.DeliveryMode = s
		a, badA := n.Normalize(c, "")
		c.Security.DeliveryMode = once
		b, badB := n.Normalize(c, "")
		if a.Security.DeliveryMode != b.Security.DeliveryMode || (badA == nil) != (badB == nil) {
			t.Fatalf("%q maps to %q (%v), its folded %q to %q (%v)", s, a.Security.DeliveryMode, badA, once, b.Security.DeliveryMode, badB)
		}
	})
}
