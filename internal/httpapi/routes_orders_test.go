package httpapi

import (
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/market"
)

func TestOrders_QuoteOrderAcceptSettles_MoneyBalancesAtEveryStep(t *testing.T) {
	t.Parallel()
	w := mustOrderWorld(t, false)
	buyer := w.mustParty("北京买方科技", market.PartyParticipant, market.RoleBuyer)
	listing := w.mustListed(ownDataDeclaration("城市出行统计 2026"))
	w.mustPlan(listing, simplePlan("100.00"))
	buyerID, sellerID := uuid.UUID(buyer.partyID), uuid.UUID(w.seller.partyID)

	buyer.mustDeposit("1000.00")
	if got, want := w.balance(market.BuyerFunds(buyerID)), "1000.00"; got != want {
		t.Fatalf("after the deposit the buyer holds %s, want %s", got, want)
	}
	q := buyer.mustQuote(listing, "3")
	if q.UnitPrice != "100.00" || q.Amount != "300.00" {
		t.Fatalf("quote %+v: want 3 licences at 100.00 = 300.00 from the plan", q)
	}
	if q.ExpiresAt.Sub(w.clock()) != market.QuoteValidity {
		t.Errorf("the quote expires at %s, want 15 minutes after %s", q.ExpiresAt, w.clock())
	}
	o := buyer.mustOrder("order-1", orderRequest(q.ID))
	if o.State != market.OrderPaid || o.Amount.String() != "300.00" || o.Fee.String() != "6.00" {
		t.Fatalf("order %+v: want paid, 300.00, fee 6.00 (2 %%)", o)
	}
	if o.UsagePurpose == "" || !o.LicenceTerms.Accepted || o.LicenceTerms.Terms == "" || o.Gate.Decision != market.DecisionListable {
		t.Errorf("the order must store the usage purpose, the accepted licence and the Art. 36 re-check: %+v", o)
	}
	for _, c := range []struct {
		name string
		key  market.AccountKey
		want string
	}{
		{"after payment the buyer's funds are debited", market.BuyerFunds(buyerID), "700.00"},
		{"after payment the escrow holds the amount", market.Escrow(o.ID), "300.00"},
		{"after payment the seller has received nothing", market.SellerReceivable(sellerID), "0.00"},
	} {
		if got := w.balance(c.key); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
	w.mustBooksAgree()

	var accepted market.Order
	buyer.mustDo(http.StatusOK, http.MethodPost, "/v1/orders/"+o.ID.String()+"/accept", nil, &accepted)
	if accepted.State != market.OrderSettled || accepted.SettledBy != "acceptance" {
		t.Fatalf("accepted order %+v: want settled by acceptance", accepted)
	}
	for _, c := range []struct {
		name string
		key  market.AccountKey
		want string
	}{
		{"after settlement the escrow is empty", market.Escrow(o.ID), "0.00"},
		{"after settlement the seller holds the amount less the fee", market.SellerReceivable(sellerID), "294.00"},
		{"after settlement the platform holds the fee", market.PlatformFee(), "6.00"},
		{"after settlement the buyer's funds are unchanged", market.BuyerFunds(buyerID), "700.00"},
	} {
		if got := w.balance(c.key); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
	w.mustBooksAgree()
	for _, kind := range []string{"price_plan.published", "quote.offered", "order.created", "money.payment", "order.paid", "money.settlement", "order.accepted"} {
		if n := w.count(`SELECT 1 FROM ledger_entries WHERE kind = $1`, kind); n != 1 {
			t.Errorf("ledger entries of kind %s = %d, want 1", kind, n)
		}
	}
	st, b := buyer.do(http.MethodPost, "/v1/orders/"+o.ID.String()+"/accept", nil)
	if st != http.StatusConflict || mustAPIProblem(t, b).Code != "invalid_order_state" {
		t.Errorf("accepting a settled order again: %d %s, want 409 invalid_order_state", st, b)
	}
}

func TestOrders_IdempotencyKey_SameKeyReturnsTheSameOrderAndNeverChargesTwice(t *testing.T) {
	t.Parallel()
	w := mustOrderWorld(t, false)
	buyer := w.mustParty("北京买方科技", market.PartyParticipant, market.RoleBuyer)
	listing := w.mustListed(ownDataDeclaration("城市出行统计 2026"))
	w.mustPlan(listing, simplePlan("100.00"))
	buyer.mustDeposit("1000.00")
	q := buyer.mustQuote(listing, "1")

	first := buyer.mustOrder("key-A", orderRequest(q.ID))
	st, b := buyer.order("key-A", orderRequest(q.ID))
	if st != http.StatusOK {
		t.Fatalf("the same key again: %d %s, want 200 with the first order", st, b)
	}
	var again market.Order
	mustJSONBody(t, b, &again)
	if again.ID != first.ID {
		t.Fatalf("the same key returned order %s, want %s", again.ID, first.ID)
	}
	if got := w.balance(market.BuyerFunds(uuid.UUID(buyer.partyID))); got != "900.00" {
		t.Errorf("buyer funds after one order sent twice = %s, want 900.00 (charged once)", got)
	}
	if n := w.count(`SELECT 1 FROM orders`); n != 1 {
		t.Errorf("orders = %d, want 1", n)
	}

	tests := []struct {
		name   string
		key    string
		body   map[string]any
		status int
		code   string
	}{
		{"the same key with another request is refused", "key-A", func() map[string]any {
			r := orderRequest(q.ID)
			r["usage_purpose"] = "something else"
			return r
		}(), http.StatusConflict, "idempotency_key_reused"},
		{"an order without a key is refused", "", orderRequest(q.ID), http.StatusBadRequest, "idempotency_key_required"},
		{"a second order from the same quote is refused", "key-B", orderRequest(q.ID), http.StatusConflict, "quote_already_ordered"},
		{"an order without accepting the licence is refused", "key-C", func() map[string]any {
			r := orderRequest(buyer.mustQuote(listing, "1").ID)
			r["licence"] = map[string]any{"accepted": false, "terms": "x", "scope": []string{"y"}}
			return r
		}(), http.StatusBadRequest, "licence_not_accepted"},
		{"an order without a usage purpose is refused", "key-D", func() map[string]any {
			r := orderRequest(buyer.mustQuote(listing, "1").ID)
			r["usage_purpose"] = " "
			return r
		}(), http.StatusBadRequest, "missing_field"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, b := buyer.order(tt.key, tt.body)
			if p := mustAPIProblem(t, b); st != tt.status || p.Code != tt.code {
				t.Fatalf("%d %s, want %d %s", st, b, tt.status, tt.code)
			}
		})
	}
	if got := w.balance(market.BuyerFunds(uuid.UUID(buyer.partyID))); got != "900.00" {
		t.Errorf("buyer funds after the refused orders = %s, want 900.00", got)
	}

	t.Run("an expired quote cannot be ordered", func(t *testing.T) {
		q := buyer.mustQuote(listing, "1")
		w.setClock(w.clock().Add(market.QuoteValidity + time.Second))
		st, b := buyer.order("key-E", orderRequest(q.ID))
		if st != http.StatusConflict || mustAPIProblem(t, b).Code != "quote_expired" {
			t.Fatalf("%d %s, want 409 quote_expired", st, b)
		}
	})
	t.Run("an order beyond the buyer's funds is refused and leaves nothing", func(t *testing.T) {
		q := buyer.mustQuote(listing, "10")
		st, b := buyer.order("key-F", orderRequest(q.ID))
		if st != http.StatusUnprocessableEntity || mustAPIProblem(t, b).Code != "insufficient_funds" {
			t.Fatalf("%d %s, want 422 insufficient_funds", st, b)
		}
		if n := w.count(`SELECT 1 FROM orders WHERE quote_id = $1`, q.ID); n != 0 {
			t.Errorf("a refused order left %d rows", n)
		}
	})
	w.mustBooksAgree()
}

func TestOrders_CancelDisputeRefundAndAutoRefundOfUndelivered(t *testing.T) {
	t.Parallel()
	w := mustOrderWorld(t, false)
	buyer := w.mustParty("北京买方科技", market.PartyParticipant, market.RoleBuyer)
	operator := w.mustParty("数交平台运营", market.PartyPlatform, market.RoleOperator)
	listing := w.mustListed(ownDataDeclaration("城市出行统计 2026"))
	w.mustPlan(listing, simplePlan("100.00"))
	buyer.mustDeposit("1000.00")
	funds := market.BuyerFunds(uuid.UUID(buyer.partyID))
	path := func(o market.Order, action string) string { return "/v1/orders/" + o.ID.String() + "/" + action }

	cancelled := buyer.mustOrder("c1", orderRequest(buyer.mustQuote(listing, "1").ID))
	buyer.mustDo(http.StatusOK, http.MethodPost, path(cancelled, "cancel"), nil, &cancelled)
	if cancelled.State != market.OrderCancelled || w.balance(funds) != "1000.00" || w.balance(market.Escrow(cancelled.ID)) != "0.00" {
		t.Fatalf("cancelled order %s: funds %s, want the whole 1000.00 back", cancelled.State, w.balance(funds))
	}

	disputed := buyer.mustOrder("d1", orderRequest(buyer.mustQuote(listing, "2").ID))
	st, b := buyer.do(http.MethodPost, path(disputed, "dispute"), map[string]any{})
	if st != http.StatusBadRequest || mustAPIProblem(t, b).Field != "reason" {
		t.Errorf("a dispute without a reason: %d %s, want 400 naming reason", st, b)
	}
	buyer.mustDo(http.StatusOK, http.MethodPost, path(disputed, "dispute"), map[string]any{"reason": "字段与说明不符 the columns do not match the description"}, &disputed)
	st, b = buyer.do(http.MethodPost, path(disputed, "refund"), nil)
	if st != http.StatusForbidden {
		t.Errorf("the buyer refunding itself: %d %s, want 403", st, b)
	}
	w.seller.mustDo(http.StatusOK, http.MethodPost, path(disputed, "refund"), nil, &disputed)
	if disputed.State != market.OrderRefunded || w.balance(funds) != "1000.00" {
		t.Fatalf("refunded dispute %s: funds %s, want 1000.00", disputed.State, w.balance(funds))
	}

	undelivered := buyer.mustOrder("a1", orderRequest(buyer.mustQuote(listing, "1").ID))
	stillDisputed := buyer.mustOrder("a2", orderRequest(buyer.mustQuote(listing, "1").ID))
	buyer.mustDo(http.StatusOK, http.MethodPost, path(stillDisputed, "dispute"), map[string]any{"reason": "late"}, nil)
	if undelivered.DeliverBy == nil || undelivered.SettleDueAt != nil {
		t.Fatalf("a paid order: deliver_by %v, settle_due_at %v; want a delivery deadline and no settlement date before delivery",
			undelivered.DeliverBy, undelivered.SettleDueAt)
	}
	var res autoSettlement
	w.setClock(w.clock().Add(7*24*time.Hour + time.Minute))
	operator.mustDo(http.StatusOK, http.MethodPost, "/v1/orders/auto-settlement", nil, &res)
	if res.Settled != 0 || res.Refunded != 0 {
		t.Fatalf("the sweep 7 days after payment settled %d and refunded %d orders, want none: nothing was delivered, and the delivery period is 14 days",
			res.Settled, res.Refunded)
	}
	w.setClock(w.clock().Add(7 * 24 * time.Hour))
	operator.mustDo(http.StatusOK, http.MethodPost, "/v1/orders/auto-settlement", nil, &res)
	if res.Settled != 0 || res.Refunded != 1 {
		t.Fatalf("the sweep 14 days after payment settled %d and refunded %d, want the undelivered order refunded (the disputed one waits)",
			res.Settled, res.Refunded)
	}
	buyer.mustDo(http.StatusOK, http.MethodGet, "/v1/orders/"+undelivered.ID.String(), nil, &undelivered)
	if undelivered.State != market.OrderRefunded || undelivered.SettledAt != nil {
		t.Errorf("the undelivered order is %s, want refunded and never settled", undelivered.State)
	}
	if got := w.balance(market.SellerReceivable(uuid.UUID(w.seller.partyID))); got != "0.00" {
		t.Errorf("seller receivable = %s, want 0.00: a seller who delivered nothing is paid nothing", got)
	}
	if got := w.balance(funds); got != "900.00" {
		t.Errorf("buyer funds = %s, want 900.00 (only the disputed order's 100.00 still in escrow)", got)
	}
	if n := w.count(`SELECT 1 FROM ledger_entries WHERE kind = 'order.auto_refunded' AND subject_id = $1`, undelivered.ID); n != 1 {
		t.Errorf("order.auto_refunded ledger events = %d, want 1", n)
	}
	buyer.mustDo(http.StatusForbidden, http.MethodPost, "/v1/orders/auto-settlement", nil, nil)
	w.mustBooksAgree()
}
