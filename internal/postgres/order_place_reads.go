package postgres

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/shujiao/shujiao/market"
)

// placeReads is what placing an order reads before it decides anything,
// read in one round trip together with the idempotency key's lock (issue
// 18: these were five round trips): the order already placed under the
// key, the quote and whether it was ordered, the quote's listing locked
// FOR SHARE, and whether the buyer's controlling party is overseas
// (Shaanxi Art. 72). Nothing is decided here: market.Orders asks for each
// in its own order, and orderTx answers from these when it asks for the
// same rows (else it reads them as before).
type placeReads struct {
	buyer market.PartyID
	key   string
	quote market.QuoteID

	prev     *market.Order // nil: no order under the key
	prevHash string
	q        market.QuoteRecord
	qErr     error
	ordered  bool
	listing  *market.ListingRecord // nil: not read (no such quote)
	overseas bool
}

const (
	selectOrderByKey = `SELECT ` + orderColumns + `, request_sha256 FROM orders WHERE buyer_id = $1 AND idempotency_key = $2`
	// the quote, whether it has an order, its listing locked FOR SHARE,
	// and whether buyer $2's controlling party is overseas
	selectQuoteListing = `SELECT q.id, q.listing_id, q.plan_version, q.seller_id, q.buyer_id, q.conditions, q.profile, q.pricing, q.negotiated,
q.counter_of, q.unit_price::text, q.amount::text, q.created_at, q.expires_at, q.ledger_entry_id,
EXISTS (SELECT 1 FROM orders o WHERE o.quote_id = q.id),
l.id, l.party_id, l.created_by, l.state, l.declaration, l.price, l.decision, l.ruleset_version, l.submissions, l.created_at, l.updated_at, l.listed_at,
(SELECT controller_overseas FROM parties WHERE id = $2)
FROM quotes q JOIN listings l ON l.id = q.listing_id WHERE q.id = $1 FOR SHARE OF l`
	selectControllerAbroad = `SELECT controller_overseas FROM parties WHERE id = $1`
)

// readPlace sends the reads of placeReads on p, after the statements p
// holds (the key's lock), in one round trip of two statements.
func readPlace(ctx context.Context, p *pipeTx, buyer market.PartyID, key string, quote market.QuoteID) (*placeReads, error) {
	r := &placeReads{buyer: buyer, key: key, quote: quote}
	b := &pgx.Batch{}
	b.Queue(selectOrderByKey, buyer, key)
	b.Queue(selectQuoteListing, quote, buyer)
	br := p.SendBatch(ctx, b)
	defer br.Close()
	prev, err := scanOrder(rowAnd{br.QueryRow(), []any{&r.prevHash}})
	switch {
	case err == nil:
		r.prev = prev
	case !isNotFound(err):
		return nil, fmt.Errorf("order under key %q: %w", key, err)
	}
	rows, err := br.Query()
	if err != nil {
		return nil, fmt.Errorf("quote %s: %w", uuid.UUID(quote), translate(err))
	}
	if err := r.scanQuoteListing(rows, p.Conn().TypeMap()); err != nil {
		return nil, err
	}
	if err := br.Close(); err != nil {
		return nil, translate(err)
	}
	return r, nil
}

// scanQuoteListing reads selectQuoteListing's row (none: no such quote,
// r.qErr wraps ErrNotFound) through the scanners of each part.
func (r *placeReads) scanQuoteListing(rows pgx.Rows, m *pgtype.Map) error {
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return fmt.Errorf("quote %s: %w", uuid.UUID(r.quote), translate(err))
		}
		r.qErr = translate(pgx.ErrNoRows)
		return nil
	}
	fds, vals := rows.FieldDescriptions(), rows.RawValues()
	part := func(from, to int) pgx.Row { return rowPart{m, fds[from:to], vals[from:to]} }
	r.q, r.qErr = scanQuote(part(0, 15))
	if r.qErr != nil {
		return r.qErr
	}
	if err := part(15, 16).Scan(&r.ordered); err != nil {
		return err
	}
	l, err := scanListing(part(16, 28))
	if err != nil {
		return fmt.Errorf("lock the listing of quote %s: %w", uuid.UUID(r.quote), err)
	}
	r.listing = l
	if err := part(28, 29).Scan(&r.overseas); err != nil {
		return fmt.Errorf("buyer %s: %w", uuid.UUID(r.buyer), translate(err))
	}
	rows.Close()
	return translate(rows.Err())
}

// rowPart is pgx.Row over some columns of a row already read.
type rowPart struct {
	m    *pgtype.Map
	fds  []pgconn.FieldDescription
	vals [][]byte
}

func (p rowPart) Scan(dest ...any) error { return pgx.ScanRow(p.m, p.fds, p.vals, dest...) }
