package market

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// OrderStore is what Orders needs of storage: transactions over orders,
// their quotes and listings, escrow postings and ledger events. Storage
// holds no rules; every decision is taken by Orders. internal/postgres
// implements it (postgres.OrderStore).
type OrderStore interface {
	// InPlaceTx runs fn in one transaction that holds buyer's lock on the
	// idempotency key, so that two requests with one key never both place.
	// quote is the quote the request names: storage may read the rows fn
	// asks for first (the order under the key, the quote, its listing,
	// the buyer's record) ahead, with the lock, in one round trip; fn
	// decides as if it had read them itself. It returns fn's error as is.
	InPlaceTx(ctx context.Context, buyer PartyID, key string, quote QuoteID, fn func(OrderTx) error) error
	// InOrderTx runs fn in one transaction with order id read and locked
	// (FOR UPDATE). It returns an error wrapping ErrNotFound when there is
	// no such order, else fn's error.
	InOrderTx(ctx context.Context, id uuid.UUID, fn func(OrderTx, *Order) error) error
	// InNextDueTx locks, in its own transaction, the oldest order whose
	// deadline of kind has come at now (SKIP LOCKED: concurrent sweepers
	// share the work) and runs fn on it. It reports false when there is
	// none.
	InNextDueTx(ctx context.Context, kind DueKind, now time.Time, fn func(OrderTx, *Order) error) (bool, error)
	// Order returns order id, or an error wrapping ErrNotFound.
	Order(ctx context.Context, id uuid.UUID) (*Order, error)
	// Orders returns orders newest first: party's purchases and sales (a
	// nil party: every order), narrowed by f.
	Orders(ctx context.Context, party *PartyID, f OrderFilter) ([]*Order, error)
	// Postings returns the escrow postings of order id, oldest first.
	Postings(ctx context.Context, id uuid.UUID) ([]Posting, error)
	// RaiseFlag records a regulator's flag in its own transaction.
	RaiseFlag(ctx context.Context, f *Flag) error
}

// DueKind names an order deadline that the platform acts on by itself.
type DueKind string

// Order deadlines.
const (
	// DueSettlement: a delivered order's settle_due_at has come.
	DueSettlement DueKind = "settlement"
	// DueDelivery: a paid order's deliver_by has come undelivered.
	DueDelivery DueKind = "delivery"
)

// OrderTx is one storage transaction of an order use case.
type OrderTx interface {
	// OrderByKey returns the order buyer placed under key and the hash of
	// its request, or nil when there is none.
	OrderByKey(ctx context.Context, buyer PartyID, key string) (*Order, string, error)
	// Quote returns quote id (any party's), or an error wrapping ErrNotFound.
	Quote(ctx context.Context, id QuoteID) (QuoteRecord, error)
	// QuoteOrdered reports whether quote id was already ordered.
	QuoteOrdered(ctx context.Context, id QuoteID) (bool, error)
	// LockListing returns listing id, whoever's it is, locked until the
	// transaction ends (FOR SHARE), or an error wrapping ErrNotFound.
	LockListing(ctx context.Context, id uuid.UUID) (*ListingRecord, error)
	// RegateListing runs the Shaanxi Art. 36 gate again on listing l at
	// now, under the current rule set and with l's certificate, changing
	// nothing.
	RegateListing(ctx context.Context, l *ListingRecord, now time.Time) (GateResult, error)
	// Transfer books posting p (double entry, balances never negative),
	// once per key: a repeat moves nothing. It returns an
	// ErrInsufficientFunds *Error when an account would go negative.
	Transfer(ctx context.Context, p *Posting) error
	// InsertOrder stores a new order placed by user under key and hash.
	InsertOrder(ctx context.Context, o *Order, user UserID, key, hash string) error
	// QueueDelivery queues the sealing of order id's delivery, to run once
	// the transaction commits.
	QueueDelivery(ctx context.Context, id uuid.UUID) error
	// UpdateOrder stores o's state, timestamps, dispute reason and
	// delivery state.
	UpdateOrder(ctx context.Context, o *Order, now time.Time) error
	// AppendLedger appends ev to the transaction ledger.
	AppendLedger(ctx context.Context, ev LedgerEvent) error
	// ExportTx classifies exports (Shaanxi Art. 72; export_order.go).
	ExportTx
}
