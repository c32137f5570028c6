package delivery

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// Queue queues the sealing of an order's delivery in the background
// (jobs.Client: a River job that calls Seal).
type Queue interface {
	QueueSeal(ctx context.Context, order uuid.UUID) error
}

// WithQueue makes s seal deliveries in the background through q: Prepare
// and Link answer *Sealing until the delivery is sealed. It returns s;
// call it while wiring, before s is used.
func (s *Service) WithQueue(q Queue) *Service {
	s.queue = q
	return s
}

// SealRetryAfter is how long a client is asked to wait before asking for a
// delivery being sealed again.
const SealRetryAfter = 2 * time.Second

// Sealing is the answer to a delivery asked for while it is being sealed:
// ask again after RetryAfter (HTTP 202 with Retry-After).
type Sealing struct {
	OrderID    uuid.UUID
	RetryAfter time.Duration
}

// Error says the delivery is being sealed.
func (e *Sealing) Error() string {
	return fmt.Sprintf("the delivery of order %s is being sealed; ask again in %s", e.OrderID, e.RetryAfter)
}
