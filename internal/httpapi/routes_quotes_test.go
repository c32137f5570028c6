package httpapi

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/shujiao/shujiao/market"
)

func TestPricePlan_VersionedAndOnlyTheListingsSellerSetsIt(t *testing.T) {
	t.Parallel()
	w := mustOrderWorld(t, false)
	other := w.mustParty("天津其他数据公司", market.PartyParticipant, market.RoleSeller)
	buyer := w.mustParty("北京买方科技", market.PartyParticipant, market.RoleBuyer)
	listing := w.mustListed(ownDataDeclaration("城市出行统计 2026"))
	w.mustPlan(listing, simplePlan("100.00"))
	w.mustPlan(listing, simplePlan("120.00"))
	var cur struct {
		Plan market.PricePlan `json:"plan"`
	}
	buyer.mustDo(http.StatusOK, http.MethodGet, "/v1/listings/"+listing+"/price-plan", nil, &cur)
	if cur.Plan.Version != 2 || cur.Plan.BasePrice.String() != "120.00" {
		t.Fatalf("current plan version %d at %s, want version 2 at 120.00", cur.Plan.Version, cur.Plan.BasePrice)
	}
	buyer.mustDo(http.StatusOK, http.MethodGet, "/v1/listings/"+listing+"/price-plan?version=1", nil, &cur)
	if cur.Plan.Version != 1 || cur.Plan.BasePrice.String() != "100.00" {
		t.Fatalf("plan version 1 is %d at %s", cur.Plan.Version, cur.Plan.BasePrice)
	}
	if q := buyer.mustQuote(listing, "1"); q.UnitPrice != "120.00" {
		t.Errorf("a quote is priced %s, want the current version's 120.00", q.UnitPrice)
	}
	tests := []struct {
		name   string
		c      *client
		plan   map[string]any
		status int
		code   string
	}{
		{"another seller cannot set the plan", other, simplePlan("1.00"), http.StatusForbidden, "not_listing_seller"},
		{"a buyer cannot set the plan", buyer, simplePlan("1.00"), http.StatusForbidden, "forbidden_role"},
		{"a plan without a base price is refused", w.seller, map[string]any{"unit": "licence"}, http.StatusBadRequest, "invalid_plan"},
		{"a tier without its trade practice is refused (Shaanxi Art. 37 exception (1))", w.seller, map[string]any{"unit": "licence", "base_price": "100",
			"tiers": []any{map[string]any{"id": "bulk", "criteria": map[string]any{"min_volume": "10"}, "unit_price": "80"}}}, http.StatusBadRequest, "invalid_plan"},
		{"a new-customer promotion of a year is refused (Shaanxi Art. 37 exception (2) abused)", w.seller, map[string]any{"unit": "licence", "base_price": "100",
			"promotions": []any{map[string]any{"id": "forever", "kind": "new_customer", "discount": "0.3", "start": "2026-01-01T00:00:00Z", "end": "2027-01-01T00:00:00Z"}}},
			http.StatusBadRequest, "promotion_too_long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, b := tt.c.do(http.MethodPut, "/v1/listings/"+listing+"/price-plan", tt.plan)
			if p := mustAPIProblem(t, b); st != tt.status || p.Code != tt.code {
				t.Fatalf("%d %s, want %d %s", st, b, tt.status, tt.code)
			}
		})
	}
}

func TestQuotes_ShaanxiArt37_CreditFromThePartyRecordAndProfileNeverPriced(t *testing.T) {
	t.Parallel()
	w := mustOrderWorld(t, false)
	loyal := w.mustParty("老客户公司", market.PartyParticipant, market.RoleBuyer)
	fresh := w.mustParty("新客户公司", market.PartyParticipant, market.RoleBuyer)
	listing := w.mustListed(ownDataDeclaration("城市出行统计 2026"))
	w.mustPlan(listing, simplePlan("100.00"))
	operator := w.mustParty("数交平台运营", market.PartyPlatform, market.RoleOperator)
	rating := "/v1/parties/" + loyal.partyID.String() + "/credit-rating"
	if st, _ := w.seller.do(http.MethodPut, rating, map[string]any{"credit_rating": "D", "reason": "x"}); st != http.StatusForbidden {
		t.Errorf("a seller rating a buyer's credit: %d, want 403", st)
	}
	operator.mustDo(http.StatusOK, http.MethodPut, rating, map[string]any{"credit_rating": "A", "reason": "人民银行征信报告 2026-10"}, nil)
	var party struct {
		CreditRating string `json:"credit_rating"`
	}
	loyal.mustDo(http.StatusOK, http.MethodGet, "/v1/parties/"+loyal.partyID.String(), nil, &party)
	if party.CreditRating != "A" {
		t.Errorf("the party record shows credit rating %q, want A", party.CreditRating)
	}
	if n := w.count(`SELECT 1 FROM ledger_entries WHERE kind = 'party.credit_rated' AND party_id = $1`, loyal.partyID); n != 1 {
		t.Errorf("credit rating ledger events = %d, want 1", n)
	}
	loyal.mustDeposit("1000.00")
	for i := range 3 {
		loyal.mustOrder(fmt.Sprint("loyal-", i), orderRequest(loyal.mustQuote(listing, "1").ID))
	}
	q := loyal.mustQuote(listing, "1")
	if q.Conditions.Credit != "A" {
		t.Errorf("the quote's credit factor is %q, want A from the party record", q.Conditions.Credit)
	}
	if q.Profile.PriorTrades != 3 || q.Profile.TotalSpend != "300.00" || q.Profile.Region != "61" {
		t.Errorf("the recorded profile %+v: want 3 earlier trades, 300.00 spent, region 61", q.Profile)
	}
	if q.UnitPrice != "100.00" {
		t.Errorf("a loyal buyer is quoted %s, want the plan's 100.00: the profile is never priced", q.UnitPrice)
	}
	body := standardConditions("1")
	body["credit"] = "A"
	st, b := fresh.do(http.MethodPost, "/v1/listings/"+listing+"/quotes", body)
	if st != http.StatusBadRequest || mustAPIProblem(t, b).Code != "unknown_field" {
		t.Errorf("a buyer stating its own credit: %d %s, want 400 unknown_field (credit comes from the party record)", st, b)
	}
	if n := w.count(`SELECT 1 FROM quotes`); n != 4 {
		t.Errorf("quotes recorded = %d, want 4", n)
	}
}

func TestQuotes_ShaanxiArt37_Exception2_NewCustomerPromotionOnlyForNewCustomers(t *testing.T) {
	t.Parallel()
	w := mustOrderWorld(t, false)
	buyer := w.mustParty("北京买方科技", market.PartyParticipant, market.RoleBuyer)
	listing := w.mustListed(ownDataDeclaration("城市出行统计 2026"))
	now := w.clock()
	w.mustPlan(listing, map[string]any{"unit": "licence", "base_price": "100.00",
		"promotions": []any{map[string]any{"id": "welcome", "kind": "new_customer", "discount": "0.2",
			"start": now.Add(-24 * time.Hour).Format(time.RFC3339), "end": now.Add(30 * 24 * time.Hour).Format(time.RFC3339)}}})
	buyer.mustDeposit("1000.00")
	first := buyer.mustQuote(listing, "1")
	if first.UnitPrice != "80.00" || len(first.Pricing.Applied) != 1 || first.Pricing.Applied[0].Exception != "new_customer_promotion" {
		t.Fatalf("a new customer's quote %+v: want 80.00 under the welcome promotion", first)
	}
	buyer.mustOrder("first", orderRequest(first.ID))
	if again := buyer.mustQuote(listing, "1"); again.UnitPrice != "100.00" {
		t.Errorf("a customer who traded before is quoted %s, want 100.00: the promotion is for new customers only", again.UnitPrice)
	}
}

func TestQuotes_ShaanxiArt37_UnexplainedNegotiatedPriceIsNotOffered(t *testing.T) {
	t.Parallel()
	w := mustOrderWorld(t, false)
	buyer := w.mustParty("北京买方科技", market.PartyParticipant, market.RoleBuyer)
	other := w.mustParty("天津其他数据公司", market.PartyParticipant, market.RoleSeller)
	listing := w.mustListed(ownDataDeclaration("城市出行统计 2026"))
	w.mustPlan(listing, simplePlan("100.00"))
	q := buyer.mustQuote(listing, "2")
	counter := "/v1/quotes/" + q.ID + "/counter"

	st, b := w.seller.do(http.MethodPost, counter, map[string]any{"unit_price": "150.00"})
	p := mustAPIProblem(t, b)
	if st != http.StatusUnprocessableEntity || p.Code != "price_unexplained" || p.Article != "Shaanxi Art. 37" {
		t.Fatalf("a 50 %% higher negotiated price: %d %s, want 422 price_unexplained citing Shaanxi Art. 37", st, b)
	}
	var withDetails struct {
		Details market.PriceFlag `json:"details"`
	}
	mustJSONBody(t, b, &withDetails)
	if d := withDetails.Details; d.ReferencePrice.String() != "100.00" || d.OverchargeTotal.String() != "100.00" || d.Rule != "shaanxi-37" {
		t.Errorf("the refusal's evidence %+v: want reference 100.00 and an overcharge of 100.00 over 2 licences", d)
	}
	if n := w.count(`SELECT 1 FROM quotes`); n != 1 {
		t.Errorf("an unexplained price was recorded as a quote (%d quotes)", n)
	}

	var ok quoteBody
	w.seller.mustDo(http.StatusCreated, http.MethodPost, counter, map[string]any{"unit_price": "101.00"}, &ok)
	if !ok.Negotiated || ok.UnitPrice != "101.00" || ok.Amount != "202.00" || ok.BuyerID != q.BuyerID {
		t.Errorf("a negotiated price within the 1 %% tolerance: %+v, want offered at 101.00 to the same buyer", ok)
	}
	st, b = w.seller.do(http.MethodPost, counter, map[string]any{"unit_price": "101.01"})
	if st != http.StatusUnprocessableEntity {
		t.Errorf("a price just beyond the tolerance (101.01): %d %s, want 422", st, b)
	}
	st, _ = other.do(http.MethodPost, counter, map[string]any{"unit_price": "100.00"})
	if st != http.StatusNotFound {
		t.Errorf("another seller countering the quote: %d, want 404", st)
	}
}

func TestAudit_ShaanxiArt37_BatchAuditFlagsImportedTradesOnce(t *testing.T) {
	t.Parallel()
	w := mustOrderWorld(t, false)
	regulator := w.mustParty("陕西省市场监督管理局", market.PartyRegulator, market.RoleRegulator)
	buyer := w.mustParty("北京买方科技", market.PartyParticipant, market.RoleBuyer)
	listing := w.mustListed(ownDataDeclaration("城市出行统计 2026"))
	w.mustPlan(listing, simplePlan("100.00"))
	buyer.mustDeposit("1000.00")
	for i := range 3 {
		buyer.mustOrder(fmt.Sprint("k", i), orderRequest(buyer.mustQuote(listing, "1").ID))
	}
	var recorded struct {
		Flags   []market.PriceFlag `json:"flags"`
		Trades  int                `json:"trades"`
		FlagIDs []string           `json:"flag_ids"`
	}
	regulator.mustDo(http.StatusOK, http.MethodPost, "/v1/regulator/audits/prices", map[string]any{"listing_id": listing}, &recorded)
	if recorded.Trades != 3 || len(recorded.Flags) != 0 {
		t.Fatalf("audit of the platform's engine-priced trades: %d trades, flags %+v; want 3 trades and no flag", recorded.Trades, recorded.Flags)
	}

	seller := w.seller.partyID.String()
	csv := "trade_id,time,seller_id,listing_id,buyer_id,buyer_kind,unit_price,quantity,amount,security,cost,credit,stage,duration_months," +
		"buyer_first_trade_at,buyer_prior_trades,promotion_id,promotion_kind,promotion_start,promotion_end,tier_id,tier_criteria_met,random_rule_id,random_draw_id\n" +
		"x1,2026-11-01T10:00:00Z," + seller + "," + listing + ",B1,organization,100.00,1,,encrypted_file/L3,standard,A,direct,12,,,,,,,,,,\n" +
		"x2,2026-11-02T10:00:00Z," + seller + "," + listing + ",B2,organization,130.00,1,,encrypted_file/L3,standard,A,direct,12,,,,,,,,,,\n"
	post := func() (int, []byte) {
		req, err := http.NewRequest(http.MethodPost, w.srv.URL+"/v1/regulator/audits/prices", bytes.NewReader([]byte(csv)))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "text/csv")
		return regulator.send(req)
	}
	st, b := post()
	var imported struct {
		Flags   []market.PriceFlag `json:"flags"`
		FlagIDs []string           `json:"flag_ids"`
	}
	if st != http.StatusOK {
		t.Fatalf("audit of imported trades: %d %s", st, b)
	}
	mustJSONBody(t, b, &imported)
	if len(imported.Flags) != 1 || len(imported.FlagIDs) != 1 || imported.Flags[0].OverchargeTotal.String() != "30.00" {
		t.Fatalf("imported trades 100.00 and 130.00 under the same conditions: flags %+v ids %v, want one flag overcharging 30.00", imported.Flags, imported.FlagIDs)
	}
	var stored string
	if err := w.pool.QueryRow(context.Background(), `SELECT article FROM flags WHERE id = $1 AND party_id = $2`, imported.FlagIDs[0], w.seller.partyID).Scan(&stored); err != nil || stored != "Shaanxi Art. 37" {
		t.Errorf("the flag is not in the regulator queue against the seller with its article: %q %v", stored, err)
	}
	st, b = post()
	mustJSONBody(t, b, &imported)
	if st != http.StatusOK || len(imported.FlagIDs) != 0 {
		t.Errorf("auditing the same trades again raised %d new flags, want none (already flagged)", len(imported.FlagIDs))
	}
	st, b = buyer.do(http.MethodPost, "/v1/regulator/audits/prices", nil)
	if st != http.StatusForbidden || !strings.Contains(string(b), "forbidden_role") {
		t.Errorf("a buyer running the audit: %d %s, want 403", st, b)
	}
}

func TestQuotes_ShaanxiArt37_Exception1And3_TierCriteriaAndReplayableDraw(t *testing.T) {
	t.Parallel()
	w := mustOrderWorld(t, false)
	buyer := w.mustParty("北京买方科技", market.PartyParticipant, market.RoleBuyer)
	listing := w.mustListed(ownDataDeclaration("城市出行统计 2026"))
	now := w.clock()
	w.mustPlan(listing, map[string]any{"unit": "licence", "base_price": "100.00",
		"tiers": []any{map[string]any{"id": "bulk", "criteria": map[string]any{"min_volume": "10"}, "unit_price": "80.00",
			"practice": "volume discount customary for bulk data licences"}},
		"random_rules": []any{map[string]any{"id": "lucky", "odds": "1", "prize_discount": "0.5", "seed": "published-seed",
			"start": now.Add(-time.Hour).Format(time.RFC3339), "end": now.Add(time.Hour).Format(time.RFC3339)}}})
	tests := []struct {
		name, volume, unit string
		applied            []string
	}{
		{"below the tier's volume the base price applies, halved by the winning draw", "9", "50.00", []string{"random_allocation"}},
		{"at the tier's volume the tier price applies (exception (1)), halved by the draw (exception (3))", "10", "40.00", []string{"tier", "random_allocation"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var q struct {
				quoteBody
				Pricing struct {
					Applied []struct{ Exception string } `json:"applied"`
					Draws   []market.DrawResult          `json:"draws"`
				} `json:"pricing"`
			}
			buyer.mustDo(http.StatusCreated, http.MethodPost, "/v1/listings/"+listing+"/quotes", standardConditions(tt.volume), &q)
			if q.UnitPrice != tt.unit || len(q.Pricing.Applied) != len(tt.applied) {
				t.Fatalf("unit price %s with %+v, want %s with %v", q.UnitPrice, q.Pricing.Applied, tt.unit, tt.applied)
			}
			for i, a := range q.Pricing.Applied {
				if a.Exception != tt.applied[i] {
					t.Errorf("exception %d = %s, want %s", i, a.Exception, tt.applied[i])
				}
			}
			rule := market.RandomRule{ID: "lucky", Odds: decimal.NewFromInt(1), PrizeDiscount: decimal.RequireFromString("0.5"), Seed: "published-seed"}
			if len(q.Pricing.Draws) != 1 || q.Pricing.Draws[0].DrawID != q.ID || market.Draw(rule, q.ID) != q.Pricing.Draws[0] {
				t.Errorf("the quote's draw %+v does not replay from the published rule under the quote id %s", q.Pricing.Draws, q.ID)
			}
		})
	}
}
