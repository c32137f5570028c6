package httpapi

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/internal/pgp"
	"github.com/shujiao/shujiao/market"
)

// mustSealingListing lists a certified 200-row release with a rows plan
// (100.00 per 1,000 rows), gives buyer a key and funds; it returns the
// listing and the buyer's key.
func (w *orderWorld) mustSealingListing(buyer *client) (string, *pgp.Key) {
	w.t.Helper()
	ds, job := w.seller.mustCertifiedDataset(200)
	if job.Result == nil {
		w.t.Fatalf("de-identification job %+v produced no certificate", job)
	}
	decl := ownDataDeclaration("西安市民出行健康数据集 2026")
	decl["contains_personal_info"], decl["dataset_id"], decl["certificate_id"] = true, ds.ID, job.Result.CertificateID
	listing := w.mustListed(decl)
	w.mustPlan(listing, map[string]any{"unit": "per_1000_records", "base_price": "100.00"})
	key, err := pgp.Generate("北京买方科技", "data@buyer.example.cn")
	if err != nil {
		w.t.Fatal(err)
	}
	pub, _ := key.ArmoredPublic()
	buyer.mustDo(http.StatusOK, http.MethodPut, "/v1/parties/"+buyer.partyID.String()+"/pgp-key", map[string]any{"armored": string(pub)}, nil)
	buyer.mustDeposit("1000.00")
	return listing, key
}

// waitOrder waits until order id's delivery leaves the sealing state.
func (w *orderWorld) waitOrder(buyer *client, id string) market.Order {
	w.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var o market.Order
		buyer.mustDo(http.StatusOK, http.MethodGet, "/v1/orders/"+id, nil, &o)
		if o.Delivery != nil && o.Delivery.State != market.DeliverySealing {
			return o
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("order %s still sealing after 30 s", id)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Issue 18: an order is paid in its request and answers delivery.state
// sealing; the delivery asked for before it is sealed answers 202 with
// Retry-After; River seals it, the order says ready, and the buyer
// receives exactly what was paid for.
func TestDelivery_AnOrderIsPaidAtOnceAndSealedInTheBackground(t *testing.T) {
	t.Parallel()
	w := mustOrderWorld(t, true)
	w.sealInBackground()
	buyer := w.mustParty("北京买方科技", market.PartyParticipant, market.RoleBuyer)
	listing, key := w.mustSealingListing(buyer)

	o := buyer.mustOrder("rows", orderRequest(buyer.mustQuote(listing, "0.1").ID))
	if o.State != market.OrderPaid || o.Delivery == nil || o.Delivery.State != market.DeliverySealing {
		t.Fatalf("a new order: %s with delivery %+v, want paid and sealing", o.State, o.Delivery)
	}
	if got := w.balance(market.BuyerFunds(uuid.UUID(buyer.partyID))); got != "990.00" {
		t.Errorf("buyer's funds %s after a 10.00 order, want 990.00 (paid in the request)", got)
	}
	// the seal may already be done; while it is not, the answer is 202
	st, b := buyer.do(http.MethodGet, "/v1/orders/"+o.ID.String()+"/delivery", nil)
	if st == http.StatusAccepted {
		var pending struct {
			State      string `json:"state"`
			RetryAfter int    `json:"retry_after_seconds"`
		}
		mustJSONBody(t, b, &pending)
		if pending.State != "sealing" || pending.RetryAfter < 1 {
			t.Errorf("202 body %s: want state sealing and retry_after_seconds", b)
		}
	} else if st != http.StatusOK {
		t.Fatalf("delivery right after the order: %d %s, want 202 or 200", st, b)
	}
	if got := w.waitOrder(buyer, o.ID.String()); got.Delivery.State != market.DeliveryReady {
		t.Fatalf("order delivery %+v, want ready", got.Delivery)
	}
	d := w.mustReceive(buyer, key, o.ID.String())
	if d.table.Rows() != 100 {
		t.Errorf("received %d rows, want the 100 paid for", d.table.Rows())
	}
	if st, attempt := w.riverSeal(o.ID.String()); st != "completed" || attempt != 1 {
		t.Errorf("the River seal of the order is %s on attempt %d, want completed on the first", st, attempt)
	}
	w.mustBooksAgree()
}

// heldSealer seals only once released: the delivery is being sealed
// until then.
type heldSealer struct {
	release chan struct{}
	inner   interface {
		Seal(ctx context.Context, order uuid.UUID) error
	}
}

func (h heldSealer) Seal(ctx context.Context, order uuid.UUID) error {
	select {
	case <-h.release:
	case <-ctx.Done():
		return ctx.Err()
	}
	return h.inner.Seal(ctx, order)
}

// Issue 18: while the delivery is being sealed GET
// /v1/orders/{id}/delivery answers 202 with Retry-After and the state,
// asking again queues no second seal, and once sealed it answers 200.
func TestDelivery_WhileSealingTheAnswerIs202WithRetryAfter(t *testing.T) {
	t.Parallel()
	w := mustOrderWorld(t, true)
	w.sealInBackground()
	held := heldSealer{release: make(chan struct{}), inner: w.orders.Delivery}
	w.seals.set(held, w.orders.Orders)
	buyer := w.mustParty("北京买方科技", market.PartyParticipant, market.RoleBuyer)
	listing, _ := w.mustSealingListing(buyer)
	o := buyer.mustOrder("rows", orderRequest(buyer.mustQuote(listing, "0.1").ID))
	path := "/v1/orders/" + o.ID.String() + "/delivery"
	for range 2 {
		resp := buyer.raw(http.MethodGet, path)
		if resp.status != http.StatusAccepted {
			t.Fatalf("delivery while sealing: %d %s, want 202", resp.status, resp.body)
		}
		if secs, err := strconv.Atoi(resp.header.Get("Retry-After")); err != nil || secs < 1 {
			t.Errorf("Retry-After %q, want whole seconds", resp.header.Get("Retry-After"))
		}
	}
	if n := w.count(`SELECT 1 FROM river_job WHERE kind = 'seal_delivery' AND args->>'order_id' = $1`, o.ID.String()); n != 1 {
		t.Errorf("%d seals queued for one order asked for three times, want 1", n)
	}
	close(held.release)
	if got := w.waitOrder(buyer, o.ID.String()); got.Delivery.State != market.DeliveryReady {
		t.Fatalf("order delivery %+v, want ready", got.Delivery)
	}
	buyer.mustDo(http.StatusOK, http.MethodGet, path, nil, nil)
}

// Issue 18: a delivery that can never be sealed as paid (5,000 rows
// bought of a 200-row release) is not retried: the buyer is refunded from
// escrow (an order.auto_refunded ledger event with the reason), the order
// says failed, and the delivery answers 409 delivery_failed.
func TestDelivery_ASealThatCannotSucceedRefundsTheBuyer(t *testing.T) {
	t.Parallel()
	w := mustOrderWorld(t, true)
	w.sealInBackground()
	// the seal waits until the escrow is checked: the refund would
	// otherwise race the check (seen under -race in CI)
	held := heldSealer{release: make(chan struct{}), inner: w.orders.Delivery}
	w.seals.set(held, w.orders.Orders)
	buyer := w.mustParty("北京买方科技", market.PartyParticipant, market.RoleBuyer)
	listing, _ := w.mustSealingListing(buyer)
	o := buyer.mustOrder("too-many-rows", orderRequest(buyer.mustQuote(listing, "5").ID))
	if got := w.balance(market.BuyerFunds(uuid.UUID(buyer.partyID))); got != "500.00" {
		t.Fatalf("buyer's funds %s after a 500.00 order, want 500.00", got)
	}
	close(held.release)
	got := w.waitOrder(buyer, o.ID.String())
	if got.State != market.OrderRefunded || got.Delivery.State != market.DeliveryFailed || !strings.Contains(got.Delivery.Error, "rows") {
		t.Fatalf("order %s with delivery %+v, want refunded and failed saying why", got.State, got.Delivery)
	}
	if b := w.balance(market.BuyerFunds(uuid.UUID(buyer.partyID))); b != "1000.00" {
		t.Errorf("buyer's funds %s after the refund, want 1000.00", b)
	}
	if n := w.count(`SELECT 1 FROM ledger_entries WHERE kind = 'order.auto_refunded' AND subject_id = $1 AND payload->>'reason' LIKE '%rows%'`, o.ID); n != 1 {
		t.Errorf("%d order.auto_refunded ledger entries with the reason, want 1", n)
	}
	st, b := buyer.do(http.MethodGet, "/v1/orders/"+o.ID.String()+"/delivery", nil)
	if p := mustAPIProblem(t, b); st != http.StatusConflict || p.Code != "delivery_failed" {
		t.Errorf("the failed delivery: %d %s, want 409 delivery_failed", st, b)
	}
	if st, attempt := w.riverSeal(o.ID.String()); st != "cancelled" || attempt != 1 {
		t.Errorf("the River seal is %s on attempt %d, want given up (cancelled) on the first: retrying cannot help", st, attempt)
	}
	w.mustBooksAgree()
}

// rawResponse is a response with its headers.
type rawResponse struct {
	status int
	header http.Header
	body   []byte
}

// raw is do without a body, keeping the response headers (checked against
// the contract like every response).
func (c *client) raw(method, path string) rawResponse {
	c.w.t.Helper()
	req, err := http.NewRequest(method, c.w.srv.URL+path, nil)
	if err != nil {
		c.w.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := c.w.srv.Client().Do(req)
	if err != nil {
		c.w.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	checkContract(c.w.t, req, resp.StatusCode, resp.Header, b)
	return rawResponse{status: resp.StatusCode, header: resp.Header, body: b}
}

// riverSeal waits for the River seal of order id to reach a final state
// (River records it a moment after the worker returns) and returns it.
func (w *orderWorld) riverSeal(id string) (string, int) {
	w.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var st string
		var attempt int
		err := w.pool.QueryRow(context.Background(), `SELECT state::text, attempt FROM river_job WHERE kind = 'seal_delivery' AND args->>'order_id' = $1
ORDER BY id DESC LIMIT 1`, id).Scan(&st, &attempt)
		if err != nil {
			w.t.Fatal(err)
		}
		if st == "completed" || st == "cancelled" || st == "discarded" || time.Now().After(deadline) {
			return st, attempt
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Issue 18: a listing that names no de-identification certificate (an
// API, a report delivered by its seller) has nothing for the platform to
// seal: its order is paid with no delivery state and no seal queued, so
// the background work never refunds it as undeliverable, and the buyer
// can accept it (the demo's API trades).
func TestDelivery_AnOrderOfAnUncertifiedListingQueuesNoSeal(t *testing.T) {
	t.Parallel()
	w := mustOrderWorld(t, true)
	w.sealInBackground()
	buyer := w.mustParty("北京买方科技", market.PartyParticipant, market.RoleBuyer)
	buyer.mustDeposit("20000.00")
	listing := w.mustListed(ownDataDeclaration("西安市公共交通客流接口 2026"))
	w.mustPlan(listing, map[string]any{"unit": "licence", "base_price": "100.00"})
	o := buyer.mustOrder("api", orderRequest(buyer.mustQuote(listing, "1").ID))
	if o.State != market.OrderPaid || o.Delivery != nil {
		t.Fatalf("order %s with delivery %+v, want paid with no delivery to seal", o.State, o.Delivery)
	}
	if n := w.count(`SELECT 1 FROM river_job WHERE kind = 'seal_delivery' AND args->>'order_id' = $1`, o.ID.String()); n != 0 {
		t.Errorf("%d seals queued for an order with nothing to seal, want 0", n)
	}
	var got market.Order
	buyer.mustDo(http.StatusOK, http.MethodGet, "/v1/orders/"+o.ID.String(), nil, &got)
	if got.State != market.OrderPaid {
		t.Fatalf("order %s, want still paid", got.State)
	}
	buyer.mustDo(http.StatusOK, http.MethodPost, "/v1/orders/"+o.ID.String()+"/accept", nil, &got)
	if got.State != market.OrderSettled {
		t.Errorf("accepted order %s, want settled", got.State)
	}
	w.mustBooksAgree()
}
