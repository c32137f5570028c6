package jobs

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/market"
)

// Store is what the runner needs of the job queue: claiming jobs under a
// lease, reporting progress, recording how they ended, and handing back
// or recovering the jobs of a runner that stopped. internal/postgres
// implements it (postgres.JobStore).
type Store interface {
	ClaimJob(ctx context.Context, worker uuid.UUID, now time.Time, lease time.Duration) (*market.Job, error)
	ReportProgress(ctx context.Context, id, worker uuid.UUID, stage string, progress float64, now time.Time, lease time.Duration) error
	FinishJob(ctx context.Context, id, worker uuid.UUID, out market.JobOutcome, now time.Time) error
	ReleaseJobs(ctx context.Context, worker uuid.UUID, now time.Time) (int64, error)
	RecoverJobs(ctx context.Context, now time.Time) (requeued, failed int, err error)
	// HoldWorker marks worker alive until release is called or its
	// process dies, so that RecoverJobs takes back at once the jobs of a
	// worker that is gone.
	HoldWorker(ctx context.Context, worker uuid.UUID) (release func(), err error)
	JobDataset(ctx context.Context, id uuid.UUID) (*market.Dataset, error)
}
