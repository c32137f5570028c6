package httpapi

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/market"
)

// TestCases_ShaanxiArt75_RefundsInTheMoneyPostingsReturnTheOvercharge: an
// order overcharged by 300.00 was partly refunded (200.00, a refund
// posting out of its escrow); the penalty reads the refund from the money
// tables, so Art. 75 confiscates only the 100.00 the seller still holds.
func TestCases_ShaanxiArt75_RefundsInTheMoneyPostingsReturnTheOvercharge(t *testing.T) {
	t.Parallel()
	cw := mustCaseWorld(t, time.Date(2026, 9, 30, 10, 0, 0, 0, chinaCST))
	ctx := context.Background()
	order, buyer := market.NewID(), market.NewID()
	if _, err := cw.pool.Exec(ctx, `INSERT INTO parties (id, kind, type, name, jurisdiction) VALUES ($1, 'individual', 'participant', '王芳', '61')`, buyer); err != nil {
		t.Fatal(err)
	}
	money := func(s string) market.Money { return market.MustMoney(s) }
	for _, p := range []market.Posting{
		{Kind: market.PostingDeposit, PartyID: buyer, Reference: "SIMULATED-1", Lines: []market.PostingLine{
			{Account: market.BankClearing(), Side: market.Debit, Amount: money("1300.00")},
			{Account: market.BuyerFunds(buyer), Side: market.Credit, Amount: money("1300.00")}}},
		{Kind: market.PostingPayment, PartyID: buyer, OrderID: order, Lines: []market.PostingLine{
			{Account: market.BuyerFunds(buyer), Side: market.Debit, Amount: money("1300.00")},
			{Account: market.Escrow(order), Side: market.Credit, Amount: money("1300.00")}}},
		{Kind: market.PostingRefund, PartyID: buyer, OrderID: order, Lines: []market.PostingLine{
			{Account: market.Escrow(order), Side: market.Debit, Amount: money("200.00")},
			{Account: market.BuyerFunds(buyer), Side: market.Credit, Amount: money("200.00")}}},
	} {
		err := postgres.InTx(ctx, cw.pool, func(tx pgx.Tx) error { _, err := postgres.Transfer(ctx, tx, &p); return err })
		if err != nil {
			t.Fatalf("%s posting: %v", p.Kind, err)
		}
	}
	ev := market.PriceFlag{Rule: "shaanxi-37", Article: "Shaanxi Art. 37", Kind: "price_difference", TradeIDs: []string{order.String()},
		Overcharges: []market.Overcharge{{TradeID: order.String(), BuyerID: buyer.String(), UnitPrice: money("1300.00"),
			ReferencePrice: money("1000.00"), Difference: money("300.00"), Quantity: decimal.NewFromInt(1), Overcharge: money("300.00")}}}
	c := cw.openCase(t, cw.raise(t, cw.sellerA, "shaanxi-37", "Shaanxi Art. 37", "price_difference", ev))
	cw.decide(t, c.ID, `{"action": "proceed_to_penalty"}`)
	c = cw.call(t, "POST", "/v1/regulator/cases/"+c.ID+"/penalty", cw.tokRegulator, ``, http.StatusOK)
	v := c.Penalty.Result.Violations[0]
	if v.Confiscation.String() != "100.00" || v.TransactionAmount.String() != "1300.00" {
		t.Errorf("Art. 75 confiscation %s of %s, want 100.00 of 1300.00 after the 200.00 refund", v.Confiscation, v.TransactionAmount)
	}
	if basis := strings.Join(c.Penalty.Basis, "\n"); !strings.Contains(basis, "200.00 yuan refunded, as recorded in the money postings") {
		t.Errorf("basis does not name the recorded refund:\n%s", basis)
	}
}
