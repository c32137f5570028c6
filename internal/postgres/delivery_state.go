package postgres

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/market"
)

// markDelivery sets an order's delivery state; a failed delivery stays
// failed (its order was refunded).
const markDelivery = `UPDATE orders SET delivery_state = $2, delivery_error = nullif($3, '')
WHERE id = $1 AND delivery_state IS DISTINCT FROM 'failed'`

// MarkDelivery sets the state of order id's delivery (reason: why it
// failed). A delivery marked failed is not changed again.
func (s *DeliveryStore) MarkDelivery(ctx context.Context, id uuid.UUID, state market.DeliveryState, reason string) error {
	return MarkDelivery(ctx, s.db, id, state, reason)
}

// MarkDelivery sets the state of order id's delivery over db (a pool or a
// transaction); see DeliveryStore.MarkDelivery.
func MarkDelivery(ctx context.Context, db DB, id uuid.UUID, state market.DeliveryState, reason string) error {
	if _, err := db.Exec(ctx, markDelivery, id, state, reason); err != nil {
		return fmt.Errorf("mark the delivery of order %s %s: %w", id, state, translate(err))
	}
	return nil
}
