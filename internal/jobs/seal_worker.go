package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/shujiao/shujiao/market"
)

// sealWorker runs SealArgs jobs through the Sealer.
type sealWorker struct {
	river.WorkerDefaults[SealArgs]
	c *Client
}

// Timeout bounds one attempt at sealing (a large release encrypted and
// signed as it streams).
func (w *sealWorker) Timeout(*river.Job[SealArgs]) time.Duration { return 30 * time.Minute }

// Work seals the order's delivery. A failure worth retrying is returned to
// River, which tries again with backoff; one that can never succeed (the
// order bought more rows than the release holds, nothing certified), or
// the last attempt's, refunds the buyer (market.Orders.RefundUndeliverable:
// the escrow back, a ledger entry) and ends the job. A seal interrupted by
// a stopping server goes back to the queue, its attempt not counted.
func (w *sealWorker) Work(ctx context.Context, rj *river.Job[SealArgs]) error {
	id := rj.Args.OrderID
	// Background work: give way to the requests in flight first
	// (Foreground), for at most SealYield. A context that ends meanwhile
	// ends the seal below, handled as any interruption.
	_, _ = w.c.cfg.Foreground.Yield(ctx, w.c.cfg.SealYield)
	err := w.c.deps.Sealer.Seal(ctx, id)
	if err == nil {
		return nil
	}
	log := w.c.cfg.Logger.With("order_id", id, "attempt", rj.Attempt)
	if ctx.Err() != nil && !errors.Is(context.Cause(ctx), river.ErrJobCancelledRemotely) && !errors.Is(ctx.Err(), context.DeadlineExceeded) {
		log.Info("jobs: sealing interrupted; the seal goes back to the queue")
		return river.JobSnooze(0)
	}
	permanent := Permanent(err)
	if !permanent && rj.Attempt < rj.MaxAttempts {
		log.Warn("jobs: sealing failed; River retries it", "err", err, "max_attempts", rj.MaxAttempts)
		return err
	}
	reason := fmt.Sprintf("the delivery could not be sealed: %s", err)
	if !permanent {
		reason = fmt.Sprintf("the delivery could not be sealed in %d attempts: %s", rj.Attempt, err)
	}
	bg, done := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer done()
	if _, rerr := w.c.deps.Refunder.RefundUndeliverable(bg, id, reason); rerr != nil {
		log.Error("jobs: refund an undeliverable order", "err", rerr)
		return fmt.Errorf("refund order %s after %w: %w", id, err, rerr)
	}
	log.Warn("jobs: delivery cannot be sealed; the buyer is refunded", "err", err)
	return river.JobCancel(err)
}

// Permanent reports whether err says a delivery can never be sealed as
// paid (a rule or a conflict in the order's own facts), so that retrying
// is pointless.
func Permanent(err error) bool {
	return errors.Is(err, market.ErrConflict) || errors.Is(err, market.ErrInvalid) || errors.Is(err, market.ErrRefused)
}
