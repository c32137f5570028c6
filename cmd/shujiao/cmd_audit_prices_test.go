package main

import (
	"encoding/json"
	"strings"
	"testing"
)

const auditHeader = "trade_id,time,seller_id,listing_id,buyer_id,buyer_kind,unit_price,quantity,amount,security,cost,credit,stage,duration_months,buyer_first_trade_at,buyer_prior_trades,promotion_id,promotion_kind,promotion_start,promotion_end,tier_id,tier_criteria_met,random_rule_id,random_draw_id\n"

func auditRow(id, buyer, price, promo string) string {
	if promo == "" {
		promo = ",,,"
	}
	prior := "2"
	if promo != ",,," {
		prior = "0"
	}
	return "t" + id + ",2026-11-0" + id + "T10:00:00Z,S1,L1," + buyer + ",organization," + price + ",1," + price +
		",encrypted_file,standard,A,direct,12,," + prior + "," + promo + ",,,,\n"
}

type auditOut struct {
	Flags []struct {
		Rule               string            `json:"rule"`
		Kind               string            `json:"kind"`
		SellerID           string            `json:"seller_id"`
		ListingID          string            `json:"listing_id"`
		TradeIDs           []string          `json:"trade_ids"`
		ReferencePrice     string            `json:"reference_price"`
		OverchargeTotal    string            `json:"overcharge_total"`
		ExceptionsRejected []json.RawMessage `json:"exceptions_rejected"`
	} `json:"flags"`
	Groups int `json:"groups"`
	Trades int `json:"trades"`
}

func TestAuditPrices_ShaanxiArt37(t *testing.T) {
	welcome := "welcome,new_customer,2026-11-01T00:00:00Z,2026-12-01T00:00:00Z"
	expired := "welcome,new_customer,2026-10-01T00:00:00Z,2026-11-01T00:00:00Z"
	cases := []struct {
		name     string
		rows     string
		args     []string
		code     int
		atFault  []string
		overTot  string
		rejected int
	}{
		{"a 30% difference is flagged", auditRow("1", "B1", "100.00", "") + auditRow("2", "B2", "130.00", ""), nil, 1, []string{"t2"}, "30.00", 0},
		{"a wider --tolerance lets it pass", auditRow("1", "B1", "100.00", "") + auditRow("2", "B2", "130.00", ""), []string{"--tolerance", "0.3"}, 0, nil, "", 0},
		{"exception (2): a new customer's promotion explains a lower price", auditRow("1", "B1", "100.00", "") + auditRow("2", "B2", "80.00", welcome), nil, 0, nil, "", 0},
		{"exception (2) abused: an expired promotion", auditRow("1", "B1", "100.00", "") + auditRow("2", "B2", "80.00", expired), nil, 1, []string{"t1"}, "20.00", 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			file := writeFile(t, "trades.csv", auditHeader+c.rows)
			code, stdout, stderr := shujiaoCLI(t, append([]string{"audit-prices", file, "--json"}, c.args...)...)
			if code != c.code {
				t.Fatalf("exit %d, want %d: %s%s", code, c.code, stdout, stderr)
			}
			var out auditOut
			if err := json.Unmarshal([]byte(stdout), &out); err != nil {
				t.Fatalf("stdout is not JSON: %v\n%s", err, stdout)
			}
			if out.Trades != 2 || out.Groups != 1 {
				t.Errorf("trades %d groups %d, want 2 and 1", out.Trades, out.Groups)
			}
			if c.atFault == nil {
				if len(out.Flags) != 0 {
					t.Errorf("flags %+v", out.Flags)
				}
				return
			}
			if len(out.Flags) != 1 {
				t.Fatalf("flags %+v, want one", out.Flags)
			}
			f := out.Flags[0]
			if f.Rule != "shaanxi-37" || f.Kind != "price_difference" || f.SellerID != "S1" || f.ListingID != "L1" ||
				strings.Join(f.TradeIDs, ",") != strings.Join(c.atFault, ",") || f.OverchargeTotal != c.overTot || len(f.ExceptionsRejected) != c.rejected {
				t.Errorf("flag %+v", f)
			}
		})
	}
}

func TestAuditPrices_BadInputNamesFileLineAndField(t *testing.T) {
	file := writeFile(t, "trades.csv", auditHeader+auditRow("1", "B1", "100.00", "")+strings.Replace(auditRow("2", "B2", "130.00", ""), ",12,,", ",-12,,", 1))
	code, stdout, stderr := shujiaoCLI(t, "audit-prices", file, "--json")
	if code != 2 || stdout != "" || !strings.Contains(stderr, "trades.csv:3: field duration_months") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if code, _, stderr := shujiaoCLI(t, "audit-prices", file, "--tolerance", "lots"); code != 2 || !strings.Contains(stderr, "--tolerance") {
		t.Errorf("bad tolerance: exit %d, %q", code, stderr)
	}
	plan := writeFile(t, "plan.json", `{"id": "P", "version": 1, "unit": "licence", "base_price": "100.00", "promotions": [{"id": "forever", "kind": "new_customer", "discount": "0.5", "start": "2020-01-01T00:00:00Z", "end": "2030-01-01T00:00:00Z"}]}`)
	if code, _, stderr := shujiaoCLI(t, "audit-prices", file, "--plan", plan); code != 2 || !strings.Contains(stderr, "reasonable period") {
		t.Errorf("a plan with a ten-year promotion: exit %d, %q", code, stderr)
	}
}

func TestAuditPrices_ShaanxiArt37_3_PlanReplaysDraws(t *testing.T) {
	plan := writeFile(t, "plan.json", `[{"id": "P", "seller_id": "S1", "listing_id": "L1", "version": 2, "unit": "licence", "base_price": "100.00",
	  "random_rules": [{"id": "lucky", "odds": "1", "prize_discount": "0.5", "seed": "s"}]}]`)
	rows := auditRow("1", "B1", "100.00", "") + strings.Replace(auditRow("2", "B2", "50.00", ""), ",,,,\n", ",,,lucky,q-2\n", 1)
	file := writeFile(t, "trades.csv", auditHeader+rows)
	if code, stdout, stderr := shujiaoCLI(t, "audit-prices", file, "--json", "--plan", plan); code != 0 {
		t.Errorf("with the plan the draw (odds 1) replays to a win: exit %d\n%s%s", code, stdout, stderr)
	}
	if code, _, _ := shujiaoCLI(t, "audit-prices", file, "--json"); code != 1 {
		t.Errorf("without the plan the draw cannot be replayed: exit %d, want 1", code)
	}
}
