package jobs

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/market"
)

// Records is what the de-identification worker needs of the jobs table:
// starting a job, persisting its progress, recording how it ended or
// handing it back to the queue. internal/postgres implements it
// (postgres.JobStore).
type Records interface {
	// StartJob marks job id running on its attempt-th attempt and
	// returns it; a job whose end was recorded is returned unchanged.
	StartJob(ctx context.Context, id uuid.UUID, attempt int, now time.Time) (*market.Job, error)
	ReportProgress(ctx context.Context, id uuid.UUID, stage string, progress float64, now time.Time) error
	// FinishJob records the outcome; an ErrConflict *market.Error when
	// the job's end was already recorded.
	FinishJob(ctx context.Context, id uuid.UUID, out market.JobOutcome, now time.Time) error
	// RequeueJob puts a running job back in the queue without counting
	// its attempt.
	RequeueJob(ctx context.Context, id uuid.UUID, now time.Time) error
	JobDataset(ctx context.Context, id uuid.UUID) (*market.Dataset, error)
	// RiverJob returns the id of the River job that runs job id (0: none).
	RiverJob(ctx context.Context, id uuid.UUID) (int64, error)
}

// TxRecords is the jobs table inside the transaction that queues a job.
type TxRecords interface {
	CreateJob(ctx context.Context, j *market.Job) error
	SetRiverJob(ctx context.Context, id uuid.UUID, riverID int64) error
}

// Sealer seals an order's delivery (delivery.Service.Seal). It returns nil
// when there is nothing to seal (the order was refunded meanwhile, or the
// buyer has no key yet: the order then says so), an error of kind
// market.ErrConflict, ErrInvalid or ErrRefused when the delivery can never
// be sealed as paid, or another error worth retrying.
type Sealer interface {
	Seal(ctx context.Context, order uuid.UUID) error
}

// Refunder refunds the buyer of an order whose delivery could not be
// sealed (market.Orders.RefundUndeliverable).
type Refunder interface {
	RefundUndeliverable(ctx context.Context, order uuid.UUID, reason string) (*market.Order, error)
}

// MarkSealing is called, in the transaction that queues a seal, to say on
// the order that its delivery is being sealed
// (postgres.MarkDeliverySealing).
type MarkSealing func(ctx context.Context, tx pgx.Tx, order uuid.UUID) error
