package market

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Get returns order id as actor may see it: a buyer of the buying party,
// any member of the selling party, regulators and operators. It returns
// ErrNotFound (code order_not_found) otherwise.
func (s *Orders) Get(ctx context.Context, actor Actor, id uuid.UUID) (*Order, error) {
	o, err := s.store.Order(ctx, id)
	if IsNotFound(err) || (err == nil && OrderSide(actor, o) == "") {
		return nil, orderNotFound(id)
	}
	if err != nil {
		return nil, fmt.Errorf("order %s: %w", id, err)
	}
	return o, nil
}

// List returns the orders actor may see, newest first: its party's
// purchases (buyers) and sales (any member of a selling party); every
// order for regulators and operators. f.As is "buyer", "seller" or ""
// (both); a Limit of 0 means 100, at most 1000. It returns ErrInvalid for
// another As, or the wrapped storage error.
func (s *Orders) List(ctx context.Context, actor Actor, f OrderFilter) ([]*Order, error) {
	if f.As != "" && f.As != "buyer" && f.As != "seller" {
		return nil, Invalid("as", "invalid_parameter", "as %q: want buyer or seller", f.As)
	}
	if f.Limit <= 0 {
		f.Limit = 100
	}
	f.Limit = min(f.Limit, 1000)
	var party *PartyID
	if !actor.CanAny(RoleRegulator, RoleOperator) {
		p := actor.PartyID
		party = &p
		if !actor.Can(RoleBuyer) {
			f.As = "seller" // a party's buys are its buyers' business
		}
	}
	os, err := s.store.Orders(ctx, party, f)
	if err != nil {
		return nil, fmt.Errorf("list orders: %w", err)
	}
	return os, nil
}

// Postings returns the escrow postings of order id (payment, settlement,
// refund), oldest first, to whoever may see the order (see Get).
func (s *Orders) Postings(ctx context.Context, actor Actor, id uuid.UUID) ([]Posting, error) {
	if _, err := s.Get(ctx, actor, id); err != nil {
		return nil, err
	}
	return s.store.Postings(ctx, id)
}

// Accept settles order id to its seller at the buyer's word: the escrow
// goes to the seller minus the fee fixed when the order was placed. See
// Move for the errors.
func (s *Orders) Accept(ctx context.Context, actor Actor, id uuid.UUID) (*Order, error) {
	return s.Move(ctx, actor, id, OrderActionAccept, "")
}

// Refund returns order id's escrow to the buyer (its seller or an
// operator). See Move for the errors.
func (s *Orders) Refund(ctx context.Context, actor Actor, id uuid.UUID, reason string) (*Order, error) {
	return s.Move(ctx, actor, id, OrderActionRefund, reason)
}

// Move takes action on order id for actor, in one transaction with the
// order locked: accept settles the escrow to the seller minus the fee;
// cancel and refund return it to the buyer; dispute (with a reason) stops
// auto-settlement until a refund or the buyer's acceptance. Delivery is
// not a move a person takes here: the first download of the sealed
// delivery moves the order (internal/delivery). Every move appends an
// "order.<action>" ledger event (and the money.* event of its posting).
//
// It returns ErrNotFound (order_not_found) for an order actor cannot see,
// ErrForbidden when actor's side may not take the action, ErrConflict
// when the order's state does not allow it, ErrInvalid for a dispute
// without a reason, or the wrapped storage error.
func (s *Orders) Move(ctx context.Context, actor Actor, id uuid.UUID, action OrderAction, reason string) (*Order, error) {
	now := s.clock()
	reason = strings.TrimSpace(reason)
	switch action {
	case OrderActionAccept, OrderActionCancel, OrderActionDispute, OrderActionRefund:
	default:
		return nil, Invalid("action", "invalid_order_action", "order action %q is not taken by a person", action)
	}
	if action == OrderActionDispute && (reason == "" || len([]rune(reason)) > 2000) {
		return nil, Invalid("reason", "missing_field", "reason: say why the delivery is disputed (1–2000 characters)")
	}
	var out *Order
	err := s.store.InOrderTx(ctx, id, func(tx OrderTx, o *Order) error {
		side := OrderSide(actor, o)
		if side == "" {
			return orderNotFound(id)
		}
		out = o
		return ApplyOrderMove(ctx, tx, o, action, side, reason, now)
	})
	if IsNotFound(err) {
		err = orderNotFound(id)
	}
	if err != nil {
		return nil, fmt.Errorf("%s order %s: %w", action, id, err)
	}
	return out, nil
}

// Sweep is the platform's own moves, at now: every delivered order whose
// settlement date has come is settled to its seller, and every paid order
// not delivered by its deadline is refunded to its buyer; each order in
// its own transaction. At most limit orders of each kind are moved (0:
// 1000). It returns how many were settled and refunded, or the first error
// with the counts so far.
func (s *Orders) Sweep(ctx context.Context, limit int) (settled, refunded int, err error) {
	if limit <= 0 {
		limit = 1000
	}
	now := s.clock()
	for _, k := range []struct {
		due    DueKind
		action OrderAction
		n      *int
	}{{DueSettlement, OrderActionAutoSettle, &settled}, {DueDelivery, OrderActionAutoRefund, &refunded}} {
		for *k.n < limit {
			found, err := s.store.InNextDueTx(ctx, k.due, now, func(tx OrderTx, o *Order) error {
				return ApplyOrderMove(ctx, tx, o, k.action, "platform", "", now)
			})
			if err != nil {
				return settled, refunded, fmt.Errorf("%s orders: %w", k.action, err)
			}
			if !found {
				break
			}
			*k.n++
		}
	}
	return settled, refunded, nil
}

// ApplyOrderMove applies action to the locked order o for side at now
// inside tx: the state machine (Order.Move), the escrow posting, the
// stored row and the "order.<action>" ledger event. Storage calls it for
// the moves it makes inside its own transactions (the first download).
func ApplyOrderMove(ctx context.Context, tx OrderTx, o *Order, action OrderAction, side, reason string, now time.Time) error {
	if err := o.Move(action, side, now); err != nil {
		return err
	}
	facts := map[string]any{"by": side}
	if o.Amount.Decimal().IsPositive() {
		switch action {
		case OrderActionAccept, OrderActionAutoSettle:
			p, err := SettlementPosting(o.ID, uuid.UUID(o.SellerID), o.Amount, o.Fee)
			if err != nil {
				return err
			}
			if err := tx.Transfer(ctx, &p); err != nil {
				return err
			}
			facts["posting_id"], facts["seller_net"], facts["fee"] = p.ID, o.Amount.Sub(o.Fee), o.Fee
		case OrderActionCancel, OrderActionRefund, OrderActionAutoRefund:
			p := RefundPosting(o.ID, uuid.UUID(o.BuyerID), o.Amount)
			if err := tx.Transfer(ctx, &p); err != nil {
				return err
			}
			facts["posting_id"], facts["refunded"] = p.ID, o.Amount
		}
	}
	switch action {
	case OrderActionDispute:
		o.DisputeReason = reason
	case OrderActionDeliver:
		facts["settle_due_at"] = o.SettleDueAt
	case OrderActionAutoRefund:
		facts["deliver_by"] = o.DeliverBy
		if reason == "" {
			reason = "not delivered by " + o.DeliverBy.Format(time.RFC3339)
		}
	}
	if reason != "" {
		facts["reason"] = reason
	}
	if err := tx.UpdateOrder(ctx, o, now); err != nil {
		return err
	}
	return appendOrderEvent(ctx, tx, o, orderEventKinds[action], now, facts)
}

// orderEventKinds names the ledger event of each order move.
var orderEventKinds = map[OrderAction]string{
	OrderActionDeliver: "order.delivered", OrderActionAccept: "order.accepted",
	OrderActionAutoSettle: "order.auto_settled", OrderActionCancel: "order.cancelled",
	OrderActionDispute: "order.disputed", OrderActionRefund: "order.refunded",
	OrderActionAutoRefund: "order.auto_refunded",
}

// orderNotFound is the error for an order that does not exist or that the
// caller may not see: the two are indistinguishable.
func orderNotFound(id uuid.UUID) error {
	return Errorf(ErrNotFound, "order_not_found", "no order %s", id)
}
