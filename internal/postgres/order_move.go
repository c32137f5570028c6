package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/market"
)

// MoveOrder takes action on order id for actor at now, in one
// transaction with the order row locked: accept settles the escrow to the
// seller minus the platform fee fixed when the order was placed; cancel
// and refund return it to the buyer; dispute (with a reason) stops
// auto-settlement until a refund or the buyer's acceptance. Every move
// appends an "order.<action>" ledger event (the money.* event of its
// posting too).
//
// It returns ErrNotFound (order_not_found) for an order actor cannot see,
// ErrForbidden when actor's side may not take the action, ErrConflict
// when the order's state does not allow it, ErrInvalid for a dispute
// without a reason, or the wrapped database error.
func MoveOrder(ctx context.Context, db DB, actor market.Actor, id uuid.UUID, action market.OrderAction, reason string, now time.Time) (*market.Order, error) {
	now = now.UTC().Truncate(time.Microsecond)
	reason = strings.TrimSpace(reason)
	if action == market.OrderActionDispute && (reason == "" || len([]rune(reason)) > 2000) {
		return nil, market.Invalid("reason", "missing_field", "reason: say why the delivery is disputed (1–2000 characters)")
	}
	var o *market.Order
	err := InTx(ctx, db, func(tx pgx.Tx) error {
		var err error
		o, err = scanOrder(tx.QueryRow(ctx, `SELECT `+orderColumns+` FROM orders WHERE id = $1 FOR UPDATE`, id))
		if isNotFound(err) || (err == nil && market.OrderSide(actor, o) == "") {
			return orderNotFound(id)
		}
		if err != nil {
			return err
		}
		return moveLocked(ctx, tx, o, action, market.OrderSide(actor, o), reason, now)
	})
	if err != nil {
		return nil, fmt.Errorf("%s order %s: %w", action, id, err)
	}
	return o, nil
}

// moveLocked applies action to the locked order o, moves its money,
// updates the row and appends the ledger event.
func moveLocked(ctx context.Context, tx pgx.Tx, o *market.Order, action market.OrderAction, side, reason string, now time.Time) error {
	if err := o.Move(action, side, now); err != nil {
		return err
	}
	facts := map[string]any{"by": side}
	if o.Amount.Decimal().IsPositive() {
		switch action {
		case market.OrderActionAccept, market.OrderActionAutoSettle:
			p, _, err := Settle(ctx, tx, o.ID, uuidOf(o.SellerID), o.Amount, o.Fee)
			if err != nil {
				return err
			}
			facts["posting_id"], facts["seller_net"], facts["fee"] = p.ID, o.Amount.Sub(o.Fee), o.Fee
		case market.OrderActionCancel, market.OrderActionRefund:
			p, _, err := Refund(ctx, tx, o.ID, uuidOf(o.BuyerID), o.Amount)
			if err != nil {
				return err
			}
			facts["posting_id"], facts["refunded"] = p.ID, o.Amount
		}
	}
	if action == market.OrderActionDispute {
		o.DisputeReason = reason
	}
	if reason != "" {
		facts["reason"] = reason
	}
	_, err := tx.Exec(ctx, `UPDATE orders SET state = $2, delivered_at = $3, settled_at = $4, settled_by = nullif($5, ''),
cancelled_at = $6, disputed_at = $7, refunded_at = $8, dispute_reason = nullif($9, ''), updated_at = $10 WHERE id = $1`,
		o.ID, o.State, o.DeliveredAt, o.SettledAt, o.SettledBy, o.CancelledAt, o.DisputedAt, o.RefundedAt, o.DisputeReason, now)
	if err != nil {
		return translate(err)
	}
	kind := orderEventKinds[action]
	return appendOrderEvent(ctx, tx, o, kind, now, facts)
}

// orderEventKinds names the ledger event of each order move.
var orderEventKinds = map[market.OrderAction]string{
	market.OrderActionDeliver: "order.delivered", market.OrderActionAccept: "order.accepted",
	market.OrderActionAutoSettle: "order.auto_settled", market.OrderActionCancel: "order.cancelled",
	market.OrderActionDispute: "order.disputed", market.OrderActionRefund: "order.refunded",
}

// AutoSettle settles, at now, every paid or delivered order whose
// settlement date has come and that nobody disputed: the escrow goes to
// the seller minus the fee, each order in its own transaction (rows
// locked, SKIP LOCKED so that concurrent sweepers share the work). It
// returns how many orders it settled, or the first error with that count.
func AutoSettle(ctx context.Context, db DB, now time.Time, limit int) (int, error) {
	if limit <= 0 {
		limit = 1000
	}
	now = now.UTC().Truncate(time.Microsecond)
	n := 0
	for n < limit {
		settled := false
		err := InTx(ctx, db, func(tx pgx.Tx) error {
			o, err := scanOrder(tx.QueryRow(ctx, `SELECT `+orderColumns+` FROM orders
WHERE state IN ('paid', 'delivered') AND settle_due_at <= $1 ORDER BY settle_due_at LIMIT 1 FOR UPDATE SKIP LOCKED`, now))
			if isNotFound(err) {
				return nil
			}
			if err != nil {
				return err
			}
			settled = true
			return moveLocked(ctx, tx, o, market.OrderActionAutoSettle, "platform", "", now)
		})
		if err != nil {
			return n, fmt.Errorf("auto-settle orders: %w", err)
		}
		if !settled {
			return n, nil
		}
		n++
	}
	return n, nil
}
