package market

import (
	"errors"
	"strings"
	"testing"
)

const tradeHeader = "trade_id,time,seller_id,listing_id,buyer_id,buyer_kind,unit_price,quantity,amount,security,cost,credit,stage,duration_months,buyer_first_trade_at,buyer_prior_trades,promotion_id,promotion_kind,promotion_start,promotion_end,tier_id,tier_criteria_met,random_rule_id,random_draw_id\n"

func TestReadTrades_ReadsEveryColumn(t *testing.T) {
	in := tradeHeader +
		"t1,2026-11-01T10:00:00Z,S1,L1,B1,organization,100.00,5,500.00,encrypted_file/L3,standard/5000,a,direct,12,2025-01-01T00:00:00Z,2,welcome,new_customer,2026-11-01T00:00:00Z,2026-12-01T00:00:00Z,bulk,true,lucky,q-1\n" +
		"\n" +
		"t2,2026-11-02T10:00:00+08:00,S1,L1,B2,,130,,,api,,B,resale,,,,,,,,,,,\n"
	trades, err := ReadTrades(strings.NewReader("\ufeff"+in), "t.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(trades) != 2 {
		t.Fatalf("%d trades, want 2", len(trades))
	}
	a, b := trades[0], trades[1]
	switch {
	case a.ID != "t1" || a.UnitPrice.String() != "100.00" || a.Quantity.String() != "5" || a.Amount.String() != "500.00":
		t.Errorf("money or quantity: %+v", a)
	case a.Conditions.Security != Security{DeliveryMode: "encrypted_file", CertificationLevel: "L3"}:
		t.Errorf("security %+v", a.Conditions.Security)
	case a.Conditions.Cost.Channel != "standard" || a.Conditions.Cost.Volume.String() != "5000":
		t.Errorf("cost %+v", a.Conditions.Cost)
	case a.Conditions.Credit != "a" || a.Conditions.Stage != StageDirect || a.Conditions.DurationMonths != 12: // as written; the audit maps "a" to A
		t.Errorf("conditions %+v", a.Conditions)
	case a.BuyerPriorTrades == nil || *a.BuyerPriorTrades != 2 || a.BuyerFirstTradeAt == nil:
		t.Errorf("history %+v", a)
	case a.PromotionID != "welcome" || a.PromotionKind != "new_customer" || a.PromotionEnd == nil || a.PromotionEnd.Month() != 12:
		t.Errorf("promotion %+v", a)
	case a.TierID != "bulk" || a.TierCriteriaMet == nil || !*a.TierCriteriaMet || a.RandomRuleID != "lucky" || a.RandomDrawID != "q-1":
		t.Errorf("tier or draw %+v", a)
	case a.Line != 2 || b.Line != 4:
		t.Errorf("lines %d and %d, want 2 and 4", a.Line, b.Line)
	}
	if b.Quantity.String() != "1" || b.Amount.String() != "130.00" || b.Conditions.Cost.Volume.String() != "1" ||
		b.BuyerPriorTrades != nil || b.TierCriteriaMet != nil || b.Time.Hour() != 2 {
		t.Errorf("empty cells are not absent: %+v", b)
	}
}

func TestReadTrades_JSONLinesWithTheSameKeys(t *testing.T) {
	in := `{"trade_id": "t1", "time": "2026-11-01T10:00:00Z", "seller_id": "S1", "listing_id": "L1", "buyer_id": "B1", "unit_price": "100.00", "quantity": 2, "security": "encrypted_file", "credit": "A", "stage": "direct", "duration_months": 12, "buyer_prior_trades": 0, "tier_criteria_met": false, "promotion_id": null}
{"trade_id": "t2", "time": "2026-11-01T11:00:00Z", "seller_id": "S1", "listing_id": "L1", "buyer_id": "B2", "unit_price": 130, "security": "encrypted_file", "credit": "A", "stage": "direct", "duration_months": 12}
`
	trades, err := ReadTrades(strings.NewReader(in), "t.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if len(trades) != 2 || trades[0].Quantity.String() != "2" || *trades[0].BuyerPriorTrades != 0 || *trades[0].TierCriteriaMet || trades[1].UnitPrice.String() != "130.00" {
		t.Errorf("trades %+v", trades)
	}
	res := Audit(trades, DefaultRuleSet(), nil)
	if len(res.Flags) != 1 {
		t.Errorf("flags %+v, want the 30%% difference", res.Flags)
	}
}

// tradeHeader2 is the header with the optional columns of plan versions
// and exception evidence.
const tradeHeader2 = "trade_id,time,seller_id,listing_id,buyer_id,buyer_kind,unit_price,quantity,amount,security,cost,credit,stage,duration_months,buyer_first_trade_at,buyer_prior_trades,promotion_id,promotion_kind,promotion_start,promotion_end,tier_id,tier_criteria_met,random_rule_id,random_draw_id,plan_version,tier_criteria,cost_claim_id,cost_claim_amount\n"

func TestReadTrades_ErrorsNameFileLineAndField(t *testing.T) {
	row := "t1,2026-11-01T10:00:00Z,S1,L1,B1,organization,100.00,1,100.00,encrypted_file,standard,A,direct,12,,,,,,,,,,\n"
	row2 := strings.TrimSuffix(row, "\n")
	cases := []struct{ name, in, want, field string }{
		{"a missing column", strings.Replace(tradeHeader, ",random_draw_id", "", 1), "t.csv:1: field random_draw_id: missing from the header", "random_draw_id"},
		{"an unknown column", strings.TrimSuffix(tradeHeader, "\n") + ",discount\n", "t.csv:1: field discount: unknown column", "discount"},
		{"a bad price", tradeHeader + row + rowWith(row, "trade_id", "t9", "unit_price", "1e3"), "t.csv:3: field unit_price", "unit_price"},
		{"a bad time", tradeHeader + strings.Replace(row, "2026-11-01T10:00:00Z", "yesterday", 1), "t.csv:2: field time", "time"},
		{"a negative duration", tradeHeader + rowWith(row, "duration_months", "-3"), "t.csv:2: field duration_months", "duration_months"},
		{"a missing delivery mode", tradeHeader + rowWith(row, "security", "/L3"), "t.csv:2: field security", "security"},
		{"a plan version that is not a number", tradeHeader2 + row2 + ",v2,,,\n", "t.csv:2: field plan_version", "plan_version"},
		{"tier criteria that name an unknown criterion", tradeHeader2 + row2 + ",,loyalty=5,,\n", "t.csv:2: field tier_criteria: \"loyalty\": unknown criterion", "tier_criteria"},
		{"a cost amount without its cost", tradeHeader2 + row2 + ",,,,20.00\n", "t.csv:2: field cost_claim_id", "cost_claim_id"},
		{"a negative prior count", tradeHeader + rowWith(row, "buyer_prior_trades", "-1"), "t.csv:2: field buyer_prior_trades", "buyer_prior_trades"},
		{"a bad boolean", tradeHeader + rowWith(row, "tier_criteria_met", "maybe"), "t.csv:2: field tier_criteria_met", "tier_criteria_met"},
		{"a duplicate trade id", tradeHeader + row + row, "t.csv:3: field trade_id: trade id \"t1\" already on line 2", "trade_id"},
		{"a missing buyer", tradeHeader + strings.Replace(row, "B1", "", 1), "t.csv:2: field buyer_id: missing", "buyer_id"},
		{"a short row", tradeHeader + "t1,2026-11-01T10:00:00Z\n", "t.csv:2", ""},
		{"a draw without its rule", tradeHeader + rowWith(row, "random_draw_id", "d1"), "t.csv:2: field random_draw_id", "random_draw_id"},
		{"an empty file", "", "t.csv:1: empty file", ""},
		{"a JSON line with an unknown key", `{"trade_id": "t1", "colour": "red"}` + "\n", "t.csv:1: field colour: unknown key", "colour"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadTrades(strings.NewReader(c.in), "t.csv")
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v, want an ErrInvalid *Error", err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q lacks %q", err, c.want)
			}
			if c.field != "" && e.Field != c.field {
				t.Errorf("field %q, want %q", e.Field, c.field)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Error("the error spans lines")
			}
		})
	}
}

// FuzzReadTrades: the reader never panics; every error is an ErrInvalid
// *Error naming the file and a line; every trade read is valid and audits.
func FuzzReadTrades(f *testing.F) {
	row := "t1,2026-11-01T10:00:00Z,S1,L1,B1,organization,100.00,1,100.00,encrypted_file,standard,A,direct,12,2025-01-01T00:00:00Z,2,,,,,,,,\n"
	f.Add(tradeHeader + row)
	f.Add(tradeHeader + row + strings.Replace(strings.Replace(row, "t1", "t2", 1), "100.00,1", "130.00,3", 1))
	f.Add(`{"trade_id": "t1", "time": "2026-11-01T10:00:00Z", "seller_id": "S1", "listing_id": "L1", "buyer_id": "B1", "unit_price": "1", "security": "x", "credit": "A", "stage": "direct"}`)
	f.Add("\"a\nb\",c\n")
	f.Add(tradeHeader2 + strings.TrimSuffix(row, "\n") + ",2,min_volume=500;credits=A|B,custom,20.00\n" +
		strings.Replace(strings.TrimSuffix(row, "\n"), "t1", "t2", 1) + ",1,,,\n")
	f.Fuzz(func(t *testing.T, in string) {
		trades, err := ReadTrades(strings.NewReader(in), "f.csv")
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || !strings.HasPrefix(err.Error(), "f.csv:") {
				t.Fatalf("error %q is not an *Error naming the file and line", err)
			}
			return
		}
		for _, tr := range trades {
			if tr.Conditions.Security.DeliveryMode == "" || tr.Conditions.DurationMonths < 0 || tr.ID == "" || tr.UnitPrice.IsNegative() || !tr.Quantity.IsPositive() {
				t.Fatalf("invalid trade read: %+v", tr)
			}
		}
		res := Audit(trades, DefaultRuleSet(), nil)
		if res.Trades != len(trades) {
			t.Fatalf("audited %d of %d trades", res.Trades, len(trades))
		}
		// Every trade is either compared in a group or reported as
		// unrecognized_condition: none is silently dropped.
		reported := map[string]bool{}
		for _, f := range res.Flags {
			if f.Kind == KindUnrecognizedCondition {
				for _, id := range f.TradeIDs {
					reported[id] = true
				}
			}
		}
		n := DefaultRuleSet()
		norm := NewNormalizer(&n.Art37)
		for _, tr := range trades {
			if _, bad := norm.Normalize(tr.Conditions, tr.DurationText); (bad != nil) != reported[tr.ID] {
				t.Fatalf("trade %s: unrecognized %v, reported %v", tr.ID, bad, reported[tr.ID])
			}
		}
	})
}

// rowWith returns the CSV row with the named columns set to values (pairs).
func rowWith(row string, pairs ...string) string {
	cells := strings.Split(strings.TrimSuffix(row, "\n"), ",")
	for i := 0; i+1 < len(pairs); i += 2 {
		cells[columnIndex(pairs[i])] = pairs[i+1]
	}
	return strings.Join(cells, ",") + "\n"
}
