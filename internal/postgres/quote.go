package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
	"github.com/shujiao/shujiao/market"
)

// CreateQuote prices conds for actor (a buyer) on listing id from the
// listing's current plan version, valid for market.QuoteValidity. The
// credit factor of Shaanxi Art. 37(2) is the buyer party's credit rating,
// never the caller's word; the buyer-profile attributes (earlier trades
// with this seller, total spend, tenure, region, channel) are recorded
// beside the quote and never priced. The quote and a "quote.offered"
// ledger event are written in one transaction.
//
// It returns ErrForbidden for a caller without the buyer role or buying
// from its own party, ErrNotFound for a listing the caller cannot see or
// without a plan, ErrConflict (listing_not_listed) for a listing not in
// the catalog, ErrInvalid for invalid conditions, or the wrapped error.
func CreateQuote(ctx context.Context, db DB, actor market.Actor, listing uuid.UUID, conds market.Conditions, channel string, now time.Time) (market.QuoteRecord, error) {
	if err := actor.RequireRole(market.RoleBuyer); err != nil {
		return market.QuoteRecord{}, err
	}
	now = now.UTC().Truncate(time.Microsecond)
	var rec market.QuoteRecord
	err := InTx(ctx, db, func(tx pgx.Tx) error {
		l, err := scanListing(tx.QueryRow(ctx, `SELECT `+listingColumns+` FROM listings WHERE id = $1`, listing))
		if err == nil && !canReadListing(actor, l) {
			err = notFound("listing", listing)
		}
		if err != nil {
			return err
		}
		if l.State != market.StateListed {
			return market.Errorf(market.ErrConflict, "listing_not_listed", "listing %s is %s, not listed: it cannot be quoted", listing, l.State)
		}
		if l.PartyID == actor.PartyID {
			return market.Errorf(market.ErrForbidden, "own_listing", "a party cannot buy its own listing")
		}
		plan, err := PricePlan(ctx, tx, listing, 0)
		if err != nil {
			return err
		}
		rs, err := currentRuleSet(ctx, tx)
		if err != nil {
			return err
		}
		var created time.Time
		if err := tx.QueryRow(ctx, `SELECT credit_rating, created_at FROM parties WHERE id = $1`, actor.PartyID).
			Scan(&conds.Credit, &created); err != nil {
			return translate(err)
		}
		hist, profile, err := buyerHistory(ctx, tx, actor.PartyID, l.PartyID, created, now)
		if err != nil {
			return err
		}
		profile.Region, profile.Channel = actor.Jurisdiction, channel
		q, err := market.NewQuote(plan.Plan, rs, market.QuoteRequest{BuyerID: actor.PartyID.String(), Conditions: conds,
			History: hist, Profile: profile}, now)
		if err != nil {
			return err
		}
		rec.Quote = q
		return insertQuote(ctx, tx, &rec, listing, l.PartyID, actor.PartyID)
	})
	if err != nil {
		return market.QuoteRecord{}, fmt.Errorf("quote listing %s: %w", listing, err)
	}
	return rec, nil
}

// buyerHistory reads what the platform knows of buyer's trades with
// seller: the one fact pricing may read (market.BuyerHistory) and the
// profile recorded for the detector. A trade is an order that was paid
// and not cancelled or refunded.
func buyerHistory(ctx context.Context, tx pgx.Tx, buyer, seller market.PartyID, partyCreated, now time.Time) (market.BuyerHistory, market.BuyerProfile, error) {
	var n int
	var first *time.Time
	var spend decimal.Decimal
	err := tx.QueryRow(ctx, `SELECT count(*), min(paid_at), coalesce(sum(amount), 0) FROM orders
WHERE buyer_id = $1 AND seller_id = $2 AND paid_at IS NOT NULL AND state NOT IN ('cancelled', 'refunded')`, buyer, seller).Scan(&n, &first, &spend)
	if err != nil {
		return market.BuyerHistory{}, market.BuyerProfile{}, fmt.Errorf("buyer history: %w", translate(err))
	}
	h := market.BuyerHistory{PriorTrades: n, FirstTradeAt: first}
	p := market.BuyerProfile{PriorTrades: n, TotalSpend: market.NewMoney(spend), TenureDays: int(now.Sub(partyCreated) / (24 * time.Hour))}
	return h, p, nil
}

// insertQuote stores rec and appends its "quote.offered" ledger event.
func insertQuote(ctx context.Context, tx pgx.Tx, rec *market.QuoteRecord, listing uuid.UUID, seller, buyer market.PartyID) error {
	q := &rec.Quote
	conds, err := json.Marshal(q.Conditions)
	if err != nil {
		return err
	}
	profile, err := json.Marshal(q.Profile)
	if err != nil {
		return err
	}
	pricing, err := json.Marshal(q.Pricing)
	if err != nil {
		return err
	}
	payload, err := json.Marshal(map[string]any{"quote_id": q.ID, "listing_id": listing, "seller_id": seller, "buyer_id": buyer,
		"plan_version": q.PlanVersion, "condition_key": q.Pricing.ConditionKey, "unit_price": q.UnitPrice, "quantity": q.Pricing.Quantity.String(),
		"amount": q.Amount, "negotiated": q.Negotiated, "counter_of": rec.CounterOf, "applied": q.Pricing.Applied,
		"buyer_profile": q.Profile, "expires_at": q.ExpiresAt})
	if err != nil {
		return err
	}
	if rec.LedgerEntryID, err = AppendLedger(ctx, tx, market.LedgerEvent{Kind: "quote.offered", PartyID: uuidOf(buyer),
		SubjectID: q.ID, Payload: payload, At: q.CreatedAt}); err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO quotes (id, listing_id, plan_version, seller_id, buyer_id, conditions, condition_key, profile,
pricing, negotiated, counter_of, unit_price, quantity, amount, created_at, expires_at, ledger_entry_id)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
		q.ID, listing, q.PlanVersion, seller, buyer, conds, q.Pricing.ConditionKey, profile, pricing, q.Negotiated, rec.CounterOf,
		q.UnitPrice.Decimal(), q.Pricing.Quantity, q.Amount.Decimal(), q.CreatedAt, q.ExpiresAt, rec.LedgerEntryID)
	return translate(err)
}

const selectQuote = `SELECT id, listing_id, plan_version, seller_id, buyer_id, conditions, profile, pricing, negotiated,
counter_of, unit_price::text, amount::text, created_at, expires_at, ledger_entry_id FROM quotes`

func scanQuote(row pgx.Row) (market.QuoteRecord, error) {
	var r market.QuoteRecord
	var listing uuid.UUID
	var seller, buyer market.PartyID
	var conds, profile, pricing []byte
	var unit, amount string
	if err := row.Scan(&r.ID, &listing, &r.PlanVersion, &seller, &buyer, &conds, &profile, &pricing, &r.Negotiated,
		&r.CounterOf, &unit, &amount, &r.CreatedAt, &r.ExpiresAt, &r.LedgerEntryID); err != nil {
		return market.QuoteRecord{}, translate(err)
	}
	r.ListingID, r.SellerID, r.BuyerID = listing.String(), seller.String(), buyer.String()
	r.CreatedAt, r.ExpiresAt = r.CreatedAt.UTC(), r.ExpiresAt.UTC()
	for _, x := range []struct {
		b []byte
		v any
	}{{conds, &r.Conditions}, {profile, &r.Profile}, {pricing, &r.Pricing}} {
		if err := json.Unmarshal(x.b, x.v); err != nil {
			return market.QuoteRecord{}, fmt.Errorf("quote %s: stored JSON: %w", r.ID, err)
		}
	}
	var err error
	if r.UnitPrice, err = market.ParseMoney(unit); err != nil {
		return market.QuoteRecord{}, err
	}
	if r.Amount, err = market.ParseMoney(amount); err != nil {
		return market.QuoteRecord{}, err
	}
	return r, nil
}

// GetQuote returns quote id as actor may see it: the buyer's and the
// seller's parties, regulators and operators. It returns ErrNotFound
// (code quote_not_found) otherwise.
func GetQuote(ctx context.Context, db DB, actor market.Actor, id uuid.UUID) (market.QuoteRecord, error) {
	r, err := scanQuote(db.QueryRow(ctx, selectQuote+` WHERE id = $1`, id))
	if err == nil && r.BuyerID != actor.PartyID.String() && r.SellerID != actor.PartyID.String() &&
		!actor.CanAny(market.RoleRegulator, market.RoleOperator) {
		err = market.ErrNotFound
	}
	if err != nil {
		if isNotFound(err) {
			return market.QuoteRecord{}, market.Errorf(market.ErrNotFound, "quote_not_found", "no quote %s", id)
		}
		return market.QuoteRecord{}, fmt.Errorf("quote %s: %w", id, err)
	}
	return r, nil
}
