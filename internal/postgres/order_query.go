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

const orderColumns = `id, quote_id, listing_id, seller_id, buyer_id, state, unit_price, quantity, amount, fee_rate, fee,
usage_purpose, licence_terms, export, export_assessment_ref, gate, coalesce(dispute_reason, ''), created_at, paid_at,
deliver_by, settle_after, settle_due_at, delivered_at, settled_at, coalesce(settled_by, ''), cancelled_at, disputed_at, refunded_at,
delivery_state, coalesce(delivery_error, ''),
(SELECT e.decision FROM order_exports e WHERE e.order_id = orders.id)`

func scanOrder(row pgx.Row) (*market.Order, error) {
	var o market.Order
	var unit, amount, fee decimal.Decimal
	var terms, gate []byte
	var deliveryState *market.DeliveryState
	var deliveryError string
	var exportClass []byte // order_exports.decision (Shaanxi Art. 72), NULL when not an export
	err := row.Scan(&o.ID, &o.QuoteID, &o.ListingID, &o.SellerID, &o.BuyerID, &o.State, &unit, &o.Quantity, &amount,
		&o.FeeRate, &fee, &o.UsagePurpose, &terms, &o.Export, &o.ExportAssessmentRef, &gate, &o.DisputeReason, &o.CreatedAt,
		&o.PaidAt, &o.DeliverBy, &o.SettleAfter, &o.SettleDueAt, &o.DeliveredAt, &o.SettledAt, &o.SettledBy, &o.CancelledAt,
		&o.DisputedAt, &o.RefundedAt, &deliveryState, &deliveryError, &exportClass)
	if err != nil {
		return nil, translate(err)
	}
	if deliveryState != nil {
		o.Delivery = &market.OrderDelivery{State: *deliveryState, Error: deliveryError}
	}
	o.UnitPrice, o.Amount, o.Fee = market.NewMoney(unit), market.NewMoney(amount), market.NewMoney(fee)
	if err := json.Unmarshal(terms, &o.LicenceTerms); err != nil {
		return nil, fmt.Errorf("order %s: stored licence terms: %w", o.ID, err)
	}
	if err := json.Unmarshal(gate, &o.Gate); err != nil {
		return nil, fmt.Errorf("order %s: stored gate result: %w", o.ID, err)
	}
	if err := scanExportClass(&o, exportClass); err != nil {
		return nil, err
	}
	o.CreatedAt = o.CreatedAt.UTC()
	for _, t := range []**time.Time{&o.PaidAt, &o.DeliverBy, &o.SettleDueAt, &o.DeliveredAt, &o.SettledAt, &o.CancelledAt, &o.DisputedAt, &o.RefundedAt} {
		if *t != nil {
			u := (*t).UTC()
			*t = &u
		}
	}
	return &o, nil
}

// Order returns order id, or an error wrapping market.ErrNotFound.
func (s *OrderStore) Order(ctx context.Context, id uuid.UUID) (*market.Order, error) {
	return scanOrder(s.db.QueryRow(ctx, `SELECT `+orderColumns+` FROM orders WHERE id = $1`, id))
}

const selectOrders = `SELECT ` + orderColumns + ` FROM orders
WHERE ($1::uuid IS NULL OR ($2 <> 'seller' AND buyer_id = $1) OR ($2 <> 'buyer' AND seller_id = $1))
  AND ($3 = '' OR state = $3) AND ($4::uuid IS NULL OR listing_id = $4)
ORDER BY created_at DESC, id DESC LIMIT $5 OFFSET $6`

// Orders returns party's orders (nil: every order) newest first, narrowed
// by f (f.As "buyer", "seller" or "" for both).
func (s *OrderStore) Orders(ctx context.Context, party *market.PartyID, f market.OrderFilter) ([]*market.Order, error) {
	var p *uuid.UUID
	if party != nil {
		u := uuid.UUID(*party)
		p = &u
	}
	rows, err := s.db.Query(ctx, selectOrders, p, f.As, string(f.State), uuidOrNull(f.ListingID), f.Limit, f.Offset)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := []*market.Order{}
	for rows.Next() {
		o, err := scanOrder(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, translate(rows.Err())
}
