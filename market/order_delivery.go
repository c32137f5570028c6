package market

import (
	"context"
	"fmt"

	"github.com/google/uuid"
)

// DeliveryState is where an order's delivery stands. An order is paid in
// its request; its delivery is sealed afterwards, in the background.
type DeliveryState string

// Delivery states: sealing → ready, or key_required until the buyer
// registers an OpenPGP key, or failed (the buyer was refunded).
const (
	// DeliverySealing: the delivery is queued or being sealed.
	DeliverySealing DeliveryState = "sealing"
	// DeliveryReady: the delivery is sealed for the buyer's current key.
	DeliveryReady DeliveryState = "ready"
	// DeliveryKeyRequired: the buyer has no OpenPGP key to seal it to.
	DeliveryKeyRequired DeliveryState = "key_required"
	// DeliveryFailed: it could not be sealed; the order was refunded.
	DeliveryFailed DeliveryState = "failed"
)

// OrderDelivery is the delivery part of an order: its state and, when it
// failed, why.
type OrderDelivery struct {
	State DeliveryState `json:"state"`
	Error string        `json:"error,omitempty"`
}

// RefundUndeliverable is the platform's move on order id whose delivery
// could not be sealed (attempts spent, or a fault in the order's own facts
// such as more rows bought than the release holds): the delivery is
// marked failed with reason and, while the order is still paid, its escrow
// goes back to the buyer (an "order.auto_refunded" ledger event with the
// refund posting), in one transaction. An order no longer paid (cancelled,
// refunded, delivered) only has its delivery marked failed. It returns the
// order, an error wrapping ErrNotFound, or the wrapped storage error.
func (s *Orders) RefundUndeliverable(ctx context.Context, id uuid.UUID, reason string) (*Order, error) {
	now := s.clock()
	var out *Order
	err := s.store.InOrderTx(ctx, id, func(tx OrderTx, o *Order) error {
		out = o
		o.Delivery = &OrderDelivery{State: DeliveryFailed, Error: reason}
		if o.State != OrderPaid {
			return tx.UpdateOrder(ctx, o, now)
		}
		return ApplyOrderMove(ctx, tx, o, OrderActionAutoRefund, "platform", reason, now)
	})
	if err != nil {
		return nil, fmt.Errorf("refund undeliverable order %s: %w", id, err)
	}
	return out, nil
}
