package httpapi

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/market"
)

// TestCases_ShaanxiArt75_APriceCorrectionCountsOnceTheRegulatorConfirmsTheRefunds:
// the seller answers a correction order for a Shaanxi Art. 37 breach with
// "correct" in time; that counts for Art. 75 only once the regulator
// confirms it, and the confirmation is refused (422 refunds_incomplete)
// until the money postings show the overcharged buyer refunded in full.
func TestCases_ShaanxiArt75_APriceCorrectionCountsOnceTheRegulatorConfirmsTheRefunds(t *testing.T) {
	t.Parallel()
	cw := mustCaseWorld(t, time.Date(2026, 9, 30, 10, 0, 0, 0, chinaCST))
	ctx := context.Background()
	order, buyer := market.NewID(), market.NewID()
	if _, err := cw.pool.Exec(ctx, `INSERT INTO parties (id, kind, type, name, jurisdiction) VALUES ($1, 'individual', 'participant', '王芳', '61')`, buyer); err != nil {
		t.Fatal(err)
	}
	money := market.MustMoney
	post := func(p market.Posting) {
		t.Helper()
		if err := postgres.InTx(ctx, cw.pool, func(tx pgx.Tx) error { _, err := postgres.Transfer(ctx, tx, &p); return err }); err != nil {
			t.Fatalf("%s posting: %v", p.Kind, err)
		}
	}
	refund := func(amount string) market.Posting {
		return market.Posting{Kind: market.PostingRefund, PartyID: buyer, OrderID: order, Lines: []market.PostingLine{
			{Account: market.Escrow(order), Side: market.Debit, Amount: money(amount)},
			{Account: market.BuyerFunds(buyer), Side: market.Credit, Amount: money(amount)}}}
	}
	post(market.Posting{Kind: market.PostingDeposit, PartyID: buyer, Reference: "SIMULATED-1", Lines: []market.PostingLine{
		{Account: market.BankClearing(), Side: market.Debit, Amount: money("1300.00")},
		{Account: market.BuyerFunds(buyer), Side: market.Credit, Amount: money("1300.00")}}})
	post(market.Posting{Kind: market.PostingPayment, PartyID: buyer, OrderID: order, Lines: []market.PostingLine{
		{Account: market.BuyerFunds(buyer), Side: market.Debit, Amount: money("1300.00")},
		{Account: market.Escrow(order), Side: market.Credit, Amount: money("1300.00")}}})
	post(refund("200.00"))
	ev := market.PriceFlag{Rule: "shaanxi-37", Article: "Shaanxi Art. 37", Kind: "price_difference", TradeIDs: []string{order.String()},
		Overcharges: []market.Overcharge{{TradeID: order.String(), BuyerID: buyer.String(), UnitPrice: money("1300.00"),
			ReferencePrice: money("1000.00"), Difference: money("300.00"), Quantity: decimal.NewFromInt(1), Overcharge: money("300.00")}}}
	c := cw.openCase(t, cw.raise(t, cw.sellerA, "shaanxi-37", "Shaanxi Art. 37", "price_difference", ev))
	c = cw.decide(t, c.ID, `{"action": "order_correction", "workdays": 3, "requirement": "统一定价并退还多收价款"}`)
	confirm := `{"action": "confirm_correction"}`
	if rec := cw.do(t, req{method: "POST", path: "/v1/regulator/cases/" + c.ID + "/decision", token: cw.tokRegulator, body: confirm}); rec.Code != http.StatusConflict ||
		mustAPIProblem(t, rec.Body.Bytes()).Code != "no_correction" {
		t.Fatalf("confirmation before any correction: %d %s", rec.Code, rec.Body)
	}
	cw.cases.now = time.Date(2026, 10, 9, 9, 0, 0, 0, chinaCST)
	cw.call(t, "POST", "/v1/correction-orders/"+c.Correction.ID+"/response", cw.tokSellerA, `{"action": "correct", "statement": "已退还多收价款"}`, http.StatusCreated)

	cw.cases.now = time.Date(2026, 10, 12, 9, 0, 0, 0, chinaCST) // after the deadline
	rec := cw.do(t, req{method: "POST", path: "/v1/regulator/cases/" + c.ID + "/decision", token: cw.tokRegulator, body: confirm})
	if p := mustAPIProblem(t, rec.Body.Bytes()); rec.Code != http.StatusUnprocessableEntity || p.Code != "refunds_incomplete" || p.Article != "Shaanxi Art. 75" {
		t.Fatalf("confirmation with 200.00 of 300.00 refunded: %d %s", rec.Code, rec.Body)
	}
	if c = cw.call(t, "GET", "/v1/regulator/cases/"+c.ID, cw.tokRegulator, "", http.StatusOK); c.Correction.Status != "awaiting_confirmation" || c.Correction.Corrected != nil {
		t.Fatalf("unconfirmed correction: %+v", c.Correction)
	}
	cw.cases.now = cw.cases.now.Add(time.Hour)
	post(refund("100.00"))
	c = cw.decide(t, c.ID, confirm)
	if c.Correction.Status != "corrected" || c.Correction.Corrected == nil || !*c.Correction.Corrected {
		t.Fatalf("confirmed correction: %+v", c.Correction)
	}
	c = cw.decide(t, c.ID, `{"action": "proceed_to_penalty"}`)
	c = cw.call(t, "POST", "/v1/regulator/cases/"+c.ID+"/penalty", cw.tokRegulator, ``, http.StatusOK)
	if v := c.Penalty.Result.Violations[0]; v.Corrected == nil || !*v.Corrected || v.Fine.String() != "0.00" || v.Confiscation.String() != "0.00" {
		t.Errorf("Art. 75 after the confirmed correction: corrected %v, fine %s, confiscation %s; want true, 0.00, 0.00", v.Corrected, v.Fine, v.Confiscation)
	}
}
