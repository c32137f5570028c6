package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/market"
)

// OrderStore is market.OrderStore over PostgreSQL: orders, their quotes
// and listings, escrow postings and ledger events, each use case in one
// transaction. It holds no rules. It is safe for concurrent use.
type OrderStore struct {
	db    DB
	cert  market.SignatureVerifier
	queue DeliveryQueue
}

// DeliveryQueue queues the sealing of an order's delivery inside the
// transaction that placed it (jobs.Client.QueueSealTx).
type DeliveryQueue func(ctx context.Context, tx pgx.Tx, order uuid.UUID) error

// WithDeliveryQueue makes s queue each placed order's delivery through q
// and returns s. Without one, a placed order's delivery is sealed when the
// buyer first asks for it (delivery.Service without a queue). Call it
// while wiring.
func (s *OrderStore) WithDeliveryQueue(q DeliveryQueue) *OrderStore {
	s.queue = q
	return s
}

var _ market.OrderStore = (*OrderStore)(nil)

// NewOrderStore returns the order store over db (a pool or a transaction);
// cert, the platform's public key, verifies the certificates of the
// listings an order gates again (see NewListingStore).
func NewOrderStore(db DB, cert market.SignatureVerifier) *OrderStore {
	return &OrderStore{db: db, cert: cert}
}

// orderTx is market.OrderTx over one pgx transaction; cert verifies
// certificates when the listing is gated again (nil: none counts).
type orderTx struct {
	tx    pgx.Tx
	cert  market.SignatureVerifier
	queue DeliveryQueue
	// quote is what Quote read of whether its quote was ordered (in the
	// same statement, so QuoteOrdered costs no round trip); nil outside
	// InPlaceTx.
	quote *quoteSeen
	// pre is what InPlaceTx read ahead (order_place_reads.go); nil
	// outside InPlaceTx.
	pre *placeReads
}

// quoteSeen is whether quote id had an order when Quote read it.
type quoteSeen struct {
	id      market.QuoteID
	ordered bool
	ok      bool
}

// selectQuoteOrdered is selectQuote and whether the quote has an order.
var selectQuoteOrdered = strings.Replace(selectQuote, " FROM quotes",
	", EXISTS (SELECT 1 FROM orders o WHERE o.quote_id = quotes.id) FROM quotes", 1)

// rowAnd scans its row into dest and then extra.
type rowAnd struct {
	row   pgx.Row
	extra []any
}

func (r rowAnd) Scan(dest ...any) error { return r.row.Scan(append(dest, r.extra...)...) }

var _ market.OrderTx = orderTx{}

// InPlaceTx runs fn in a transaction holding an advisory lock on buyer's
// idempotency key. The transaction pipelines its writes (tx_pipeline.go):
// the lock goes with the first read, the ledger, posting and order inserts
// with the next read or the end, so placing an order takes a few round
// trips rather than one per statement.
//
// The reads that come first (the order under the key, the quote, its
// listing, the buyer's controller) go with the lock in one round trip
// (order_place_reads.go).
func (s *OrderStore) InPlaceTx(ctx context.Context, buyer market.PartyID, key string, quote market.QuoteID, fn func(market.OrderTx) error) error {
	return InTx(ctx, s.db, func(tx pgx.Tx) error {
		p := &pipeTx{Tx: tx}
		if _, err := p.Exec(ctx, setGenericPlans); err != nil {
			return translate(err)
		}
		if _, err := p.Exec(ctx, advisoryXactLock, "order:"+buyer.String()+":"+key); err != nil {
			return translate(err)
		}
		pre, err := readPlace(ctx, p, buyer, key, quote)
		if err != nil {
			return err
		}
		if err := fn(orderTx{tx: p, cert: s.cert, queue: s.queue, quote: &quoteSeen{}, pre: pre}); err != nil {
			return err
		}
		return p.flush(ctx)
	})
}

// InOrderTx runs fn in a transaction with order id locked FOR UPDATE.
func (s *OrderStore) InOrderTx(ctx context.Context, id uuid.UUID, fn func(market.OrderTx, *market.Order) error) error {
	return InTx(ctx, s.db, func(tx pgx.Tx) error {
		o, err := scanOrder(tx.QueryRow(ctx, `SELECT `+orderColumns+` FROM orders WHERE id = $1 FOR UPDATE`, id))
		if err != nil {
			return err
		}
		return fn(orderTx{tx: tx, cert: s.cert, queue: s.queue}, o)
	})
}

// dueOrders selects, per deadline kind, the next order whose deadline has
// come at $1, locked and skipping rows another sweeper holds.
var dueOrders = map[market.DueKind]string{
	market.DueSettlement: `SELECT ` + orderColumns + ` FROM orders WHERE state = 'delivered' AND settle_due_at <= $1
ORDER BY settle_due_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
	market.DueDelivery: `SELECT ` + orderColumns + ` FROM orders WHERE state = 'paid' AND deliver_by <= $1
ORDER BY deliver_by LIMIT 1 FOR UPDATE SKIP LOCKED`,
}

// InNextDueTx runs fn on the next order whose deadline of kind has come.
func (s *OrderStore) InNextDueTx(ctx context.Context, kind market.DueKind, now time.Time, fn func(market.OrderTx, *market.Order) error) (bool, error) {
	q, ok := dueOrders[kind]
	if !ok {
		return false, fmt.Errorf("order deadline %q: unknown", kind)
	}
	found := false
	err := InTx(ctx, s.db, func(tx pgx.Tx) error {
		o, err := scanOrder(tx.QueryRow(ctx, q, now))
		if isNotFound(err) {
			return nil
		}
		if err != nil {
			return err
		}
		found = true
		return fn(orderTx{tx: tx, cert: s.cert, queue: s.queue}, o)
	})
	return found, err
}

// RaiseFlag records f in its own transaction.
func (s *OrderStore) RaiseFlag(ctx context.Context, f *market.Flag) error {
	return InTx(ctx, s.db, func(tx pgx.Tx) error { return RaiseFlag(ctx, tx, f) })
}

// Postings returns the postings of order id, oldest first.
func (s *OrderStore) Postings(ctx context.Context, id uuid.UUID) ([]market.Posting, error) {
	return PostingsOfOrder(ctx, s.db, id)
}

// OrderByKey returns the order buyer placed under key and its request hash.
func (t orderTx) OrderByKey(ctx context.Context, buyer market.PartyID, key string) (*market.Order, string, error) {
	if r := t.pre; r != nil && r.buyer == buyer && r.key == key {
		return r.prev, r.prevHash, nil
	}
	var hash string
	var id uuid.UUID
	err := t.tx.QueryRow(ctx, `SELECT id, request_sha256 FROM orders WHERE buyer_id = $1 AND idempotency_key = $2`, buyer, key).Scan(&id, &hash)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", translate(err)
	}
	o, err := scanOrder(t.tx.QueryRow(ctx, `SELECT `+orderColumns+` FROM orders WHERE id = $1`, id))
	return o, hash, err
}

// Quote returns quote id, whoever's it is.
// In InPlaceTx it also reads whether the quote was ordered (QuoteOrdered).
func (t orderTx) Quote(ctx context.Context, id market.QuoteID) (market.QuoteRecord, error) {
	if t.quote == nil {
		return scanQuote(t.tx.QueryRow(ctx, selectQuote+` WHERE id = $1`, id))
	}
	if r := t.pre; r != nil && r.quote == id {
		if r.qErr == nil {
			*t.quote = quoteSeen{id: id, ordered: r.ordered, ok: true}
		}
		return r.q, r.qErr
	}
	var ordered bool
	q, err := scanQuote(rowAnd{t.tx.QueryRow(ctx, selectQuoteOrdered+` WHERE id = $1`, id), []any{&ordered}})
	if err == nil {
		*t.quote = quoteSeen{id: id, ordered: ordered, ok: true}
	}
	return q, err
}

// QuoteOrdered reports whether an order was placed from quote id (what
// Quote read with it in this transaction, when it did; the unique quote_id
// of orders refuses a second order either way).
func (t orderTx) QuoteOrdered(ctx context.Context, id market.QuoteID) (bool, error) {
	if t.quote != nil && t.quote.ok && t.quote.id == id {
		return t.quote.ordered, nil
	}
	var taken bool
	if err := t.tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM orders WHERE quote_id = $1)`, id).Scan(&taken); err != nil {
		return false, translate(err)
	}
	return taken, nil
}

// LockListing reads listing id FOR SHARE (ListingStore).
func (t orderTx) LockListing(ctx context.Context, id uuid.UUID) (*market.ListingRecord, error) {
	if r := t.pre; r != nil && r.listing != nil && r.listing.ID == id {
		l := *r.listing // read FOR SHARE with the quote
		return &l, nil
	}
	return NewListingStore(t.tx, t.cert).LockListing(ctx, id)
}

// RegateListing runs the Art. 36 gate again on l (ListingStore).
func (t orderTx) RegateListing(ctx context.Context, l *market.ListingRecord, now time.Time) (market.GateResult, error) {
	return NewListingStore(t.tx, t.cert).RegateListing(ctx, l, now)
}

// Transfer books p (see Transfer).
//
// Placing an order (InPlaceTx), the payment is the new order's: its key
// ("payment:" and the order's new ID) cannot be taken yet, so it is booked
// without the key's lock and lookup (transferFresh).
func (t orderTx) Transfer(ctx context.Context, p *market.Posting) error {
	if t.pre != nil && p.Kind == market.PostingPayment {
		return transferFresh(ctx, t.tx, p)
	}
	_, err := Transfer(ctx, t.tx, p)
	return err
}

// AppendLedger appends ev (see AppendLedger).
func (t orderTx) AppendLedger(ctx context.Context, ev market.LedgerEvent) error {
	_, err := AppendLedger(ctx, t.tx, ev)
	return err
}

const insertOrder = `INSERT INTO orders (id, quote_id, listing_id, seller_id, buyer_id, created_by, idempotency_key, request_sha256,
state, unit_price, quantity, amount, fee_rate, fee, usage_purpose, licence_terms, export, export_assessment_ref, gate,
created_at, paid_at, settle_due_at, deliver_by, settle_after, updated_at, delivery_state, delivery_error)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $20, $25, nullif($26, ''))`

// InsertOrder stores a new order.
func (t orderTx) InsertOrder(ctx context.Context, o *market.Order, user market.UserID, key, hash string) error {
	terms, err := json.Marshal(o.LicenceTerms)
	if err != nil {
		return err
	}
	gateJSON, err := json.Marshal(o.Gate)
	if err != nil {
		return err
	}
	_, err = t.tx.Exec(ctx, insertOrder,
		o.ID, o.QuoteID, o.ListingID, o.SellerID, o.BuyerID, user, key, hash, o.State, o.UnitPrice.Decimal(), o.Quantity,
		o.Amount.Decimal(), o.FeeRate, o.Fee.Decimal(), o.UsagePurpose, terms, o.Export, o.ExportAssessmentRef, gateJSON,
		o.CreatedAt, o.PaidAt, o.SettleDueAt, o.DeliverBy, o.SettleAfter, deliveryState(o), deliveryError(o))
	return translate(err)
}

// UpdateOrder stores o's state, timestamps, dispute reason and delivery
// state.
func (t orderTx) UpdateOrder(ctx context.Context, o *market.Order, now time.Time) error {
	_, err := t.tx.Exec(ctx, `UPDATE orders SET state = $2, delivered_at = $3, settled_at = $4, settled_by = nullif($5, ''),
cancelled_at = $6, disputed_at = $7, refunded_at = $8, dispute_reason = nullif($9, ''), settle_due_at = $10, updated_at = $11,
delivery_state = $12, delivery_error = nullif($13, '')
WHERE id = $1`,
		o.ID, o.State, o.DeliveredAt, o.SettledAt, o.SettledBy, o.CancelledAt, o.DisputedAt, o.RefundedAt, o.DisputeReason,
		o.SettleDueAt, now, deliveryState(o), deliveryError(o))
	return translate(err)
}

// QueueDelivery queues the sealing of order id through the store's queue
// (nothing without one: the delivery is sealed when first asked for).
func (t orderTx) QueueDelivery(ctx context.Context, id uuid.UUID) error {
	if t.queue == nil {
		return nil
	}
	return t.queue(ctx, t.tx, id)
}

func deliveryState(o *market.Order) *market.DeliveryState {
	if o.Delivery == nil {
		return nil
	}
	return &o.Delivery.State
}

func deliveryError(o *market.Order) string {
	if o.Delivery == nil {
		return ""
	}
	return o.Delivery.Error
}
