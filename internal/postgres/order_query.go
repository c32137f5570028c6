package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
	"github.com/shujiao/shujiao/market"
)

const orderColumns = `id, quote_id, listing_id, seller_id, buyer_id, state, unit_price, quantity, amount, fee_rate, fee,
usage_purpose, licence_terms, export, export_assessment_ref, gate, coalesce(dispute_reason, ''), created_at, paid_at,
settle_due_at, delivered_at, settled_at, coalesce(settled_by, ''), cancelled_at, disputed_at, refunded_at`

func scanOrder(row pgx.Row) (*market.Order, error) {
	var o market.Order
	var unit, amount, fee decimal.Decimal
	var terms, gate []byte
	err := row.Scan(&o.ID, &o.QuoteID, &o.ListingID, &o.SellerID, &o.BuyerID, &o.State, &unit, &o.Quantity, &amount,
		&o.FeeRate, &fee, &o.UsagePurpose, &terms, &o.Export, &o.ExportAssessmentRef, &gate, &o.DisputeReason, &o.CreatedAt,
		&o.PaidAt, &o.SettleDueAt, &o.DeliveredAt, &o.SettledAt, &o.SettledBy, &o.CancelledAt, &o.DisputedAt, &o.RefundedAt)
	if err != nil {
		return nil, translate(err)
	}
	o.UnitPrice, o.Amount, o.Fee = market.NewMoney(unit), market.NewMoney(amount), market.NewMoney(fee)
	if err := json.Unmarshal(terms, &o.LicenceTerms); err != nil {
		return nil, fmt.Errorf("order %s: stored licence terms: %w", o.ID, err)
	}
	if err := json.Unmarshal(gate, &o.Gate); err != nil {
		return nil, fmt.Errorf("order %s: stored gate result: %w", o.ID, err)
	}
	o.CreatedAt = o.CreatedAt.UTC()
	return &o, nil
}

// orderNotFound is the error for an order that does not exist or that the
// caller may not see: the two are indistinguishable.
func orderNotFound(id uuid.UUID) error {
	return market.Errorf(market.ErrNotFound, "order_not_found", "no order %s", id)
}

// GetOrder returns order id as actor may see it: a buyer of the buying
// party, any member of the selling party, regulators and operators. It
// returns ErrNotFound (code order_not_found) otherwise.
func GetOrder(ctx context.Context, db DB, actor market.Actor, id uuid.UUID) (*market.Order, error) {
	o, err := scanOrder(db.QueryRow(ctx, `SELECT `+orderColumns+` FROM orders WHERE id = $1`, id))
	if isNotFound(err) || (err == nil && market.OrderSide(actor, o) == "") {
		return nil, orderNotFound(id)
	}
	if err != nil {
		return nil, fmt.Errorf("order %s: %w", id, err)
	}
	return o, nil
}

const selectOrders = `SELECT ` + orderColumns + ` FROM orders
WHERE ($1::uuid IS NULL OR ($2 <> 'seller' AND buyer_id = $1) OR ($2 <> 'buyer' AND seller_id = $1))
  AND ($3 = '' OR state = $3) AND ($4::uuid IS NULL OR listing_id = $4)
ORDER BY created_at DESC, id DESC LIMIT $5 OFFSET $6`

// ListOrders returns the orders actor may see, newest first: its party's
// purchases (buyers) and sales (any member of a selling party); every
// order for regulators and operators. It returns the wrapped database
// error only.
func ListOrders(ctx context.Context, db DB, actor market.Actor, f market.OrderFilter) ([]*market.Order, error) {
	if f.Limit <= 0 {
		f.Limit = 100
	}
	f.Limit = min(f.Limit, 1000)
	var party *uuid.UUID
	if !actor.CanAny(market.RoleRegulator, market.RoleOperator) {
		p := uuidOf(actor.PartyID)
		party = &p
		if !actor.Can(market.RoleBuyer) {
			f.As = "seller" // a party's buys are its buyers' business
		}
	}
	rows, err := db.Query(ctx, selectOrders, party, f.As, string(f.State), uuidOrNull(f.ListingID), f.Limit, f.Offset)
	if err != nil {
		return nil, fmt.Errorf("list orders: %w", translate(err))
	}
	defer rows.Close()
	out := []*market.Order{}
	for rows.Next() {
		o, err := scanOrder(rows)
		if err != nil {
			return nil, fmt.Errorf("list orders: %w", err)
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list orders: %w", translate(err))
	}
	return out, nil
}
