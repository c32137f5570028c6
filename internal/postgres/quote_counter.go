package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/market"
)

// CounterQuote records a seller's negotiated unit price against quote id:
// a new quote for the same buyer, conditions and engine pricing, offered
// only when the price passes the same Shaanxi Art. 37 check as the
// engine's (market.CheckQuote: within the tolerance of the plan's price
// for these conditions, exceptions included). Only a seller of the quote's
// seller party may counter, and only while the quote is valid.
//
// It returns ErrNotFound for a quote actor cannot see, ErrForbidden for a
// caller who is not its seller, ErrConflict (quote_expired) after expiry,
// ErrInvalid for a non-positive price, and the ErrRefused *market.Error of
// Shaanxi Art. 37 (code price_unexplained, the PriceFlag as Details) for
// an unexplained price: such a quote is not offered.
func CounterQuote(ctx context.Context, db DB, actor market.Actor, id uuid.UUID, unitPrice market.Money, now time.Time) (market.QuoteRecord, error) {
	now = now.UTC().Truncate(time.Microsecond)
	var rec market.QuoteRecord
	err := InTx(ctx, db, func(tx pgx.Tx) error {
		orig, err := GetQuote(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if orig.SellerID != actor.PartyID.String() || !actor.Can(market.RoleSeller) {
			return market.Errorf(market.ErrForbidden, "not_quote_seller", "only a seller of the quoted listing may offer a negotiated price")
		}
		if !now.Before(orig.ExpiresAt) {
			return market.Errorf(market.ErrConflict, "quote_expired", "quote %s expired at %s; the buyer asks for a new one", id, orig.ExpiresAt.Format(time.RFC3339))
		}
		if !unitPrice.Decimal().IsPositive() || unitPrice.Decimal().Exponent() < -4 {
			return market.Invalid("unit_price", "invalid_amount", "unit_price: %s, want a positive amount with at most 4 decimal places", unitPrice.Decimal())
		}
		rs, err := currentRuleSet(ctx, tx)
		if err != nil {
			return err
		}
		q := orig.Quote
		q.ID, q.Negotiated, q.UnitPrice = market.NewID(), true, unitPrice
		q.Amount = unitPrice.Mul(q.Pricing.Quantity).Round()
		q.CreatedAt, q.ExpiresAt = now, now.Add(market.QuoteValidity)
		if err := market.CheckQuote(q, rs); err != nil {
			return err
		}
		rec = market.QuoteRecord{Quote: q, CounterOf: &orig.ID}
		listing, err := uuid.Parse(q.ListingID)
		if err != nil {
			return err
		}
		seller, err := market.ParsePartyID("seller_id", q.SellerID)
		if err != nil {
			return err
		}
		buyer, err := market.ParsePartyID("buyer_id", q.BuyerID)
		if err != nil {
			return err
		}
		return insertQuote(ctx, tx, &rec, listing, seller, buyer)
	})
	if err != nil {
		return market.QuoteRecord{}, fmt.Errorf("counter quote %s: %w", id, err)
	}
	return rec, nil
}
