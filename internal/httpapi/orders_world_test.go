package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/internal/delivery"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/market"
)

// orderWorld is a market (mkt) whose server also serves price plans,
// quotes, orders, money and deliveries, on a settable clock shared by the
// listing and order services.
type orderWorld struct {
	*mkt
	orders *OrderServices
	mu     sync.Mutex
	now    time.Time
	seller *client
	api    *Server
}

// mustOrderWorld starts the world with a seller; withRunner starts the
// de-identification runner (for certified datasets).
func mustOrderWorld(t *testing.T, withRunner bool) *orderWorld {
	t.Helper()
	w := &orderWorld{mkt: mustMarket(t, marketOptions{noRunner: !withRunner}), now: time.Now().UTC().Truncate(time.Second)}
	w.svc.Now = w.clock
	cfg := market.DefaultOrderConfig()
	w.orders = &OrderServices{Key: w.key, Now: w.clock,
		Delivery:      delivery.New(postgres.NewDeliveryStore(w.pool), w.blobs, w.key, 0, w.clock),
		Orders:        market.NewOrders(postgres.NewOrderStore(w.pool, w.key.Public()), cfg, w.clock),
		ExportFilings: market.NewExportFilings(postgres.NewExportFilingStore(w.pool), w.clock)}
	w.seals.set(w.orders.Delivery, w.orders.Orders)
	srv := New(Config{}, Deps{DB: w.pool, Services: Services{Accounts: w.accounts, Stores: postgres.NewStores(w.pool, w.key.Public()), Listings: w.svc,
		Ledger: &LedgerServices{Log: postgres.NewLedgerLog(w.pool, nil)}, Orders: w.orders}})
	w.api = srv
	w.srv.Close()
	w.srv = httptest.NewServer(srv.Handler())
	t.Cleanup(w.srv.Close)
	w.seller = w.mustParty("西安交通数据有限公司", market.PartyParticipant, market.RoleSeller)
	return w
}

// sealInBackground makes the world seal deliveries as serve does: an order
// queues its seal on River in its transaction, and GET
// /v1/orders/{id}/delivery answers 202 until the seal is done.
func (w *orderWorld) sealInBackground() {
	w.t.Helper()
	cfg := market.DefaultOrderConfig()
	w.orders.Orders = market.NewOrders(postgres.NewOrderStore(w.pool, w.key.Public()).WithDeliveryQueue(w.jobs.QueueSealTx), cfg, w.clock)
	w.orders.Delivery.WithQueue(w.jobs)
	w.seals.set(w.orders.Delivery, w.orders.Orders)
}

func (w *orderWorld) clock() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.now
}

func (w *orderWorld) setClock(t time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.now = t
}

// mustPartyIn registers a party in jurisdiction j (an overseas one has no
// credit code) with one user holding roles.
func (w *orderWorld) mustPartyIn(name, j string, roles ...market.Role) *client {
	w.t.Helper()
	if j != market.JurisdictionOverseas {
		return w.mustParty(name, market.PartyParticipant, roles...)
	}
	ctx := context.Background()
	email := fmt.Sprintf("user%d@overseas.test", w.seq.Add(1))
	party, _, err := w.accounts.Seed(ctx, market.Registration{
		Party: market.Party{Kind: market.PartyOrganization, Type: market.PartyParticipant, Name: name, Jurisdiction: j},
		User:  market.NewUser{Email: email, Name: name, Password: "correct horse battery staple"}, Roles: roles})
	if err != nil {
		w.t.Fatal(err)
	}
	_, a, err := w.accounts.Login(ctx, email, "correct horse battery staple", party.ID)
	if err != nil {
		w.t.Fatal(err)
	}
	_, secret, err := w.accounts.CreateToken(ctx, a, "test", time.Hour)
	if err != nil {
		w.t.Fatal(err)
	}
	return &client{w: w.mkt, token: secret, partyID: party.ID}
}

// mustListed creates decl as the seller's listing and submits it; it
// must be listed. It returns the listing id.
func (w *orderWorld) mustListed(decl map[string]any) string {
	w.t.Helper()
	var l listingBody
	w.seller.mustDo(http.StatusCreated, http.MethodPost, "/v1/listings", decl, &l)
	w.seller.mustDo(http.StatusOK, http.MethodPost, "/v1/listings/"+l.ID+"/submit", nil, &l)
	if l.State != "listed" {
		w.t.Fatalf("listing %s is %s, want listed: %+v", l.ID, l.State, l.Decision)
	}
	return l.ID
}

// simplePlan is a plan of 100.00 per licence with no exception.
func simplePlan(base string) map[string]any {
	return map[string]any{"unit": "licence", "base_price": base}
}

// mustPlan sets the listing's price plan.
func (w *orderWorld) mustPlan(listing string, plan map[string]any) {
	w.t.Helper()
	w.seller.mustDo(http.StatusCreated, http.MethodPut, "/v1/listings/"+listing+"/price-plan", plan, nil)
}

// standardConditions are transaction conditions for volume licences.
func standardConditions(volume string) map[string]any {
	return map[string]any{"security": map[string]any{"delivery_mode": "encrypted_file", "certification_level": "L3"},
		"cost": map[string]any{"volume": volume, "channel": "standard"}, "stage": "direct", "duration_months": 12}
}

// quoteBody is the part of a quote the tests read.
type quoteBody struct {
	ID         string `json:"id"`
	BuyerID    string `json:"buyer_id"`
	UnitPrice  string `json:"unit_price"`
	Amount     string `json:"amount"`
	Negotiated bool   `json:"negotiated"`
	Conditions struct {
		Credit string `json:"credit"`
	} `json:"conditions"`
	Profile struct {
		PriorTrades int    `json:"prior_trades"`
		TotalSpend  string `json:"total_spend"`
		Region      string `json:"region"`
	} `json:"buyer_profile"`
	Pricing struct {
		Applied []struct {
			Exception string `json:"exception"`
			ID        string `json:"id"`
		} `json:"applied"`
	} `json:"pricing"`
	ExpiresAt time.Time `json:"expires_at"`
}

func (c *client) mustQuote(listing, volume string) quoteBody {
	c.w.t.Helper()
	var q quoteBody
	c.mustDo(http.StatusCreated, http.MethodPost, "/v1/listings/"+listing+"/quotes", standardConditions(volume), &q)
	return q
}

func (c *client) mustDeposit(amount string) {
	c.w.t.Helper()
	c.mustDo(http.StatusCreated, http.MethodPost, "/v1/accounts/deposits",
		map[string]any{"amount": amount, "reference": "BANK-" + uuid.NewString()}, nil)
}

// orderRequest is a complete order body for quote q.
func orderRequest(q string) map[string]any {
	return map[string]any{"quote_id": q, "usage_purpose": "交通规划内部分析 internal transport planning analysis",
		"licence": map[string]any{"accepted": true, "terms": "Shujiao standard data licence v1", "scope": []string{"internal_analysis"}}}
}

// order posts body to /v1/orders with the Idempotency-Key key.
func (c *client) order(key string, body any) (int, []byte) {
	c.w.t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.w.srv.URL+"/v1/orders", strings.NewReader(mustMarshal(c.w.t, body)))
	if err != nil {
		c.w.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set(IdempotencyHeader, key)
	}
	return c.send(req)
}

func (c *client) mustOrder(key string, body any) market.Order {
	c.w.t.Helper()
	st, b := c.order(key, body)
	if st != http.StatusCreated {
		c.w.t.Fatalf("order: %d %s", st, b)
	}
	var o market.Order
	mustJSONBody(c.w.t, b, &o)
	return o
}

// balance returns the balance of account key (ledger truth, not the API).
func (w *orderWorld) balance(key market.AccountKey) string {
	w.t.Helper()
	b, err := postgres.Balance(context.Background(), w.pool, key)
	if err != nil {
		w.t.Fatal(err)
	}
	return b.String()
}

// mustBooksAgree checks that every account is the sum of its postings,
// the trial balance holds and every posting has its ledger event.
func (w *orderWorld) mustBooksAgree() {
	w.t.Helper()
	if err := postgres.CheckBooks(context.Background(), w.pool); err != nil {
		w.t.Fatalf("the books disagree: %v", err)
	}
}

func mustMarshal(tb testing.TB, v any) string {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}
