package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/market"
)

// TestOrders_200ConcurrentOrdersAgainstFundsFor100_Exactly100Succeed is
// issue 7 item 5 through the API: one buyer funded with 100.00 places 200
// orders of 1.00 at once (order creation and payment); exactly 100 are
// placed, the other 100 are refused for insufficient funds, and balances,
// escrow, orders and ledger agree afterwards.
func TestOrders_200ConcurrentOrdersAgainstFundsFor100_Exactly100Succeed(t *testing.T) {
	t.Parallel()
	w := mustOrderWorld(t, false)
	buyer := w.mustParty("北京买方科技", market.PartyParticipant, market.RoleBuyer)
	listing := w.mustListed(ownDataDeclaration("城市出行统计 2026"))
	w.mustPlan(listing, simplePlan("1.00"))
	buyer.mustDeposit("100.00")
	const n = 200
	quotes := make([]string, n)
	for i := range quotes {
		quotes[i] = buyer.mustQuote(listing, "1").ID
	}

	var mu sync.Mutex
	statuses := map[int]int{}
	codes := map[string]int{}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			st, b := buyer.order(fmt.Sprint("concurrent-", i), orderRequest(quotes[i]))
			mu.Lock()
			defer mu.Unlock()
			statuses[st]++
			if st != http.StatusCreated {
				var p apiProblem
				_ = json.Unmarshal(b, &p) // t.Fatal may not run on this goroutine; a bad body counts as code ""
				codes[p.Code]++
			}
		})
	}
	close(start)
	wg.Wait()

	if statuses[http.StatusCreated] != 100 || statuses[http.StatusUnprocessableEntity] != 100 || codes["insufficient_funds"] != 100 {
		t.Fatalf("statuses %v, codes %v: want exactly 100 placed (201) and 100 refused for insufficient funds (422)", statuses, codes)
	}
	if got := w.balance(market.BuyerFunds(uuid.UUID(buyer.partyID))); got != "0.00" {
		t.Errorf("buyer funds = %s, want 0.00", got)
	}
	var escrow, paid string
	if err := w.pool.QueryRow(context.Background(), `SELECT coalesce(sum(balance), 0)::numeric(20,2)::text FROM money_accounts WHERE kind = 'escrow'`).Scan(&escrow); err != nil {
		t.Fatal(err)
	}
	if err := w.pool.QueryRow(context.Background(), `SELECT coalesce(sum(amount), 0)::numeric(20,2)::text FROM orders WHERE state = 'paid'`).Scan(&paid); err != nil {
		t.Fatal(err)
	}
	if escrow != "100.00" || paid != "100.00" {
		t.Errorf("escrow holds %s and paid orders total %s, want 100.00 each", escrow, paid)
	}
	for _, c := range []struct{ sql, what string }{
		{`SELECT 1 FROM orders`, "orders"},
		{`SELECT 1 FROM ledger_entries WHERE kind = 'order.created'`, "order.created events"},
		{`SELECT 1 FROM ledger_entries WHERE kind = 'order.paid'`, "order.paid events"},
		{`SELECT 1 FROM ledger_entries WHERE kind = 'money.payment'`, "money.payment events"},
		{`SELECT 1 FROM postings WHERE kind = 'payment'`, "payment postings"},
	} {
		if got := w.count(c.sql); got != 100 {
			t.Errorf("%s = %d, want 100", c.what, got)
		}
	}
	w.mustBooksAgree()
}
