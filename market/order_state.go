package market

import (
	"slices"
	"strings"
	"time"
)

// OrderState is where an order stands:
//
//	created → paid (funds in escrow) → delivered (the buyer downloaded it)
//	paid | delivered → settled (buyer accepts)
//	delivered → settled (auto-settlement N days after delivery)
//	paid → refunded (auto-refund when not delivered within M days of payment)
//	paid → cancelled (buyer, before delivery; refunded)
//	paid | delivered → disputed (buyer) → refunded (seller or operator) | settled (buyer withdraws)
//	paid | delivered → refunded (seller or operator)
type OrderState string

// Order states.
const (
	OrderCreated   OrderState = "created"
	OrderPaid      OrderState = "paid"
	OrderDelivered OrderState = "delivered"
	OrderSettled   OrderState = "settled"
	OrderCancelled OrderState = "cancelled"
	OrderDisputed  OrderState = "disputed"
	OrderRefunded  OrderState = "refunded"
)

// OrderAction is a move of the order life cycle.
type OrderAction string

// Order actions.
const (
	OrderActionPay        OrderAction = "pay"
	OrderActionDeliver    OrderAction = "deliver"
	OrderActionAccept     OrderAction = "accept"
	OrderActionAutoSettle OrderAction = "auto_settle"
	OrderActionCancel     OrderAction = "cancel"
	OrderActionDispute    OrderAction = "dispute"
	OrderActionRefund     OrderAction = "refund"
	OrderActionAutoRefund OrderAction = "auto_refund"
)

// orderMoves lists, per action, the states it leaves from, the state it
// reaches and who may take it ("buyer", "seller", "operator", "platform").
var orderMoves = map[OrderAction]struct {
	from []OrderState
	to   OrderState
	by   []string
}{
	OrderActionPay:        {[]OrderState{OrderCreated}, OrderPaid, []string{"buyer"}},
	OrderActionDeliver:    {[]OrderState{OrderPaid}, OrderDelivered, []string{"buyer"}},
	OrderActionAccept:     {[]OrderState{OrderPaid, OrderDelivered, OrderDisputed}, OrderSettled, []string{"buyer"}},
	OrderActionAutoSettle: {[]OrderState{OrderDelivered}, OrderSettled, []string{"platform"}},
	OrderActionCancel:     {[]OrderState{OrderPaid}, OrderCancelled, []string{"buyer"}},
	OrderActionDispute:    {[]OrderState{OrderPaid, OrderDelivered}, OrderDisputed, []string{"buyer"}},
	OrderActionRefund:     {[]OrderState{OrderPaid, OrderDelivered, OrderDisputed}, OrderRefunded, []string{"seller", "operator"}},
	OrderActionAutoRefund: {[]OrderState{OrderPaid}, OrderRefunded, []string{"platform"}},
}

// OrderSide says how the actor stands to order o: "buyer" (a buyer of the
// buying party), "seller" (a member of the selling party), "operator",
// "regulator", or "" when the actor may not see the order at all.
func OrderSide(a Actor, o *Order) string {
	switch {
	case a.PartyID == o.BuyerID && a.Can(RoleBuyer):
		return "buyer"
	case a.PartyID == o.SellerID:
		return "seller"
	case a.Can(RoleOperator):
		return "operator"
	case a.Can(RoleRegulator):
		return "regulator"
	}
	return ""
}

// Move applies action to o at time at, taken by side (see OrderSide; the
// platform itself is "platform"): it sets the state and the action's
// timestamp. It returns an ErrForbidden *Error (code forbidden_order_action)
// when side may not take the action, and an ErrConflict *Error (code
// invalid_order_state) when o is not in a state the action leaves from.
// Refund and cancellation move money back to the buyer; acceptance and
// auto-settlement release it to the seller: the caller posts them.
func (o *Order) Move(action OrderAction, side string, at time.Time) error {
	m, ok := orderMoves[action]
	if !ok {
		return Invalid("action", "invalid_order_action", "unknown order action %q", action)
	}
	if !slices.Contains(m.by, side) {
		return Errorf(ErrForbidden, "forbidden_order_action", "only the %s may %s an order", strings.Join(m.by, " or "), action)
	}
	if !slices.Contains(m.from, o.State) {
		return Errorf(ErrConflict, "invalid_order_state", "an order that is %s cannot be moved by %s (only from %s)", o.State, action, joinStates(m.from))
	}
	at = at.UTC()
	o.State = m.to
	switch action {
	case OrderActionPay:
		o.PaidAt = &at
	case OrderActionDeliver:
		// The auto-settlement period counts from delivery: an order is
		// never settled to a seller who delivered nothing.
		due := at.Add(o.SettleAfter)
		o.DeliveredAt, o.SettleDueAt = &at, &due
	case OrderActionAccept:
		o.SettledAt, o.SettledBy = &at, "acceptance"
	case OrderActionAutoSettle:
		o.SettledAt, o.SettledBy = &at, "auto_settlement"
	case OrderActionCancel:
		o.CancelledAt = &at
	case OrderActionDispute:
		o.DisputedAt = &at
	case OrderActionRefund, OrderActionAutoRefund:
		o.RefundedAt = &at
	}
	return nil
}

// SettleDue reports whether o should be settled automatically at now: it
// was delivered (and not disputed since) and its settlement date has come.
func (o *Order) SettleDue(now time.Time) bool {
	return o.State == OrderDelivered && o.SettleDueAt != nil && !now.Before(*o.SettleDueAt)
}

// RefundDue reports whether o should be refunded automatically at now: it
// is paid, was never delivered, and its delivery deadline has passed.
func (o *Order) RefundDue(now time.Time) bool {
	return o.State == OrderPaid && o.DeliverBy != nil && !now.Before(*o.DeliverBy)
}

func joinStates(s []OrderState) string {
	out := make([]string, len(s))
	for i, x := range s {
		out[i] = string(x)
	}
	return strings.Join(out, ", ")
}
