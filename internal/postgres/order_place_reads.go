package postgres

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
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
	selectOrderByKey       = `SELECT ` + orderColumns + `, request_sha256 FROM orders WHERE buyer_id = $1 AND idempotency_key = $2`
	lockListingOfQuote     = `SELECT ` + listingColumns + ` FROM listings WHERE id = (SELECT listing_id FROM quotes WHERE id = $1) FOR SHARE`
	selectControllerAbroad = `SELECT controller_overseas FROM parties WHERE id = $1`
)

// readPlace sends the reads of placeReads on p, after the statements p
// holds (the key's lock), in one round trip.
func readPlace(ctx context.Context, p *pipeTx, buyer market.PartyID, key string, quote market.QuoteID) (*placeReads, error) {
	r := &placeReads{buyer: buyer, key: key, quote: quote}
	b := &pgx.Batch{}
	b.Queue(selectOrderByKey, buyer, key)
	b.Queue(selectQuoteOrdered+` WHERE id = $1`, quote)
	b.Queue(lockListingOfQuote, quote)
	b.Queue(selectControllerAbroad, buyer)
	br := p.SendBatch(ctx, b)
	defer br.Close()
	prev, err := scanOrder(rowAnd{br.QueryRow(), []any{&r.prevHash}})
	switch {
	case err == nil:
		r.prev = prev
	case !isNotFound(err):
		return nil, fmt.Errorf("order under key %q: %w", key, err)
	}
	r.q, r.qErr = scanQuote(rowAnd{br.QueryRow(), []any{&r.ordered}})
	if r.qErr != nil && !isNotFound(r.qErr) {
		return nil, r.qErr
	}
	l, err := scanListing(br.QueryRow())
	switch {
	case err == nil:
		r.listing = l
	case !isNotFound(err):
		return nil, fmt.Errorf("lock the listing of quote %s: %w", uuid.UUID(quote), err)
	}
	if err := br.QueryRow().Scan(&r.overseas); err != nil {
		return nil, fmt.Errorf("buyer %s: %w", uuid.UUID(buyer), translate(err))
	}
	if err := br.Close(); err != nil {
		return nil, translate(err)
	}
	return r, nil
}
