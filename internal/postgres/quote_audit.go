package postgres

import (
	"context"
	"encoding/json"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/shujiao/shujiao/market"
)

// recordedTrades selects the platform's recorded trades: paid orders that
// were not cancelled or refunded, with their quotes and buyers.
const recordedTrades = `SELECT o.id, o.paid_at, o.seller_id, o.listing_id, o.buyer_id, p.kind, o.unit_price, o.quantity, o.amount,
q.conditions, q.profile, q.pricing, q.plan_version
FROM orders o JOIN quotes q ON q.id = o.quote_id JOIN parties p ON p.id = o.buyer_id
WHERE o.paid_at IS NOT NULL AND o.state NOT IN ('cancelled', 'refunded')
  AND ($1::uuid IS NULL OR o.listing_id = $1) AND ($2::timestamptz IS NULL OR o.paid_at >= $2)
ORDER BY o.paid_at, o.id`

// RecordedTrades reads the recorded trades as the detector reads them
// (IDs as text), with their quotes' pricing and buyer profile.
func (t quoteTx) RecordedTrades(ctx context.Context, listing uuid.UUID, since time.Time) ([]market.RecordedTrade, error) {
	var sinceArg *time.Time
	if !since.IsZero() {
		sinceArg = &since
	}
	rows, err := t.tx.Query(ctx, recordedTrades, uuidOrNull(listing), sinceArg)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	var out []market.RecordedTrade
	for rows.Next() {
		var r market.RecordedTrade
		var id uuid.UUID
		var seller, buyer market.PartyID
		var unit, amount decimal.Decimal
		var conds, profile, pricing []byte
		if err := rows.Scan(&id, &r.Time, &seller, &r.Listing, &buyer, &r.BuyerKind, &unit, &r.Quantity, &amount,
			&conds, &profile, &pricing, &r.PlanVersion); err != nil {
			return nil, translate(err)
		}
		// The detector's trades carry their IDs as text (it also reads
		// trade files from elsewhere).
		r.ID, r.SellerID, r.ListingID, r.BuyerID = id.String(), seller.String(), r.Listing.String(), buyer.String()
		r.UnitPrice, r.Amount, r.Time = market.NewMoney(unit), market.NewMoney(amount), r.Time.UTC()
		for _, x := range []struct {
			b []byte
			v any
		}{{conds, &r.Conditions}, {profile, &r.Profile}, {pricing, &r.Pricing}} {
			if err := json.Unmarshal(x.b, x.v); err != nil {
				return nil, err
			}
		}
		out = append(out, r)
	}
	return out, translate(rows.Err())
}

// ListingExists reports whether listing id exists.
func (t quoteTx) ListingExists(ctx context.Context, id uuid.UUID) (bool, error) {
	var exists bool
	err := t.tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM listings WHERE id = $1)`, id).Scan(&exists)
	return exists, translate(err)
}

// FindingFlagged reports whether seller is a party, and whether a flag of
// f's rule and kind on listing with f's trades exists.
func (t quoteTx) FindingFlagged(ctx context.Context, seller market.PartyID, f market.PriceFlag, listing *uuid.UUID) (bool, bool, error) {
	ids, err := json.Marshal(f.TradeIDs)
	if err != nil {
		return false, false, err
	}
	var known, seen bool
	err = t.tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM parties WHERE id = $5),
EXISTS (SELECT 1 FROM flags WHERE rule = $1 AND kind = $2 AND listing_id IS NOT DISTINCT FROM $3 AND evidence->'trade_ids' = $4::jsonb)`,
		f.Rule, f.Kind, listing, string(ids), seller).Scan(&known, &seen)
	return known, seen, translate(err)
}

// RaiseFlag records f in this transaction.
func (t quoteTx) RaiseFlag(ctx context.Context, f *market.Flag) error { return RaiseFlag(ctx, t.tx, f) }
