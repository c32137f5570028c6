package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/market"
)

// JobProgressStore keeps the latest progress of each de-identification
// job in job_progress, one row per job, apart from the job queue so that
// it does not depend on how jobs are run. It is safe for concurrent use.
type JobProgressStore struct {
	db DB
}

// NewJobProgressStore returns a progress store over db.
func NewJobProgressStore(db DB) *JobProgressStore { return &JobProgressStore{db: db} }

var _ market.JobProgressStore = (*JobProgressStore)(nil)

const saveJobProgress = `
INSERT INTO job_progress (job_id, phase, fraction, rows_read, rows_total, updated_at)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (job_id) DO UPDATE SET phase = $2, fraction = $3, rows_read = $4, rows_total = $5, updated_at = $6`

// SaveJobProgress records p as job id's latest progress (the fraction
// clamped to 0…1). It returns ErrNotFound when there is no such job and
// ErrInvalid for an unknown phase.
func (s *JobProgressStore) SaveJobProgress(ctx context.Context, id uuid.UUID, p market.JobProgress) error {
	_, err := s.db.Exec(ctx, saveJobProgress, id, p.Phase, min(max(p.Fraction, 0), 1), max(p.RowsRead, 0), max(p.RowsTotal, 0), p.UpdatedAt)
	if err != nil {
		return fmt.Errorf("job %s progress: %w", id, translate(err))
	}
	return nil
}

const jobProgress = `
SELECT phase, fraction, rows_read, rows_total, updated_at FROM job_progress WHERE job_id = $1`

// JobProgress returns job id's latest progress, or nil when it reported
// none.
func (s *JobProgressStore) JobProgress(ctx context.Context, id uuid.UUID) (*market.JobProgress, error) {
	var p market.JobProgress
	err := s.db.QueryRow(ctx, jobProgress, id).Scan(&p.Phase, &p.Fraction, &p.RowsRead, &p.RowsTotal, &p.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("job %s progress: %w", id, translate(err))
	}
	return &p, nil
}
