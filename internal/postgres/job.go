package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/market"
)

// JobStore keeps background de-identification jobs as their owners see
// them: policy, status, stage, progress and results. River (internal/jobs)
// runs them: each job names the River job that runs it, and a job River
// gave up on or cancelled (a server killed too often, a job cancelled
// before it ran) reads as failed with River's last error. It is safe for
// concurrent use.
type JobStore struct {
	db DB
}

// NewJobStore returns a job store over db (a pool or a transaction).
func NewJobStore(db DB) *JobStore { return &JobStore{db: db} }

// jobFrom reads a job with the River job that runs it.
const jobFrom = ` FROM jobs j LEFT JOIN river_job r ON r.id = j.river_job_id`

// riverGaveUp is true for a job River will never run again although the
// job itself never recorded an end.
const riverGaveUp = `(j.status IN ('queued', 'running') AND r.state IN ('discarded', 'cancelled'))`

const jobColumns = `j.id, j.party_id, j.dataset_id, j.created_by, j.policy, j.mode,
CASE WHEN ` + riverGaveUp + ` THEN 'failed' ELSE j.status END,
CASE WHEN ` + riverGaveUp + ` THEN 'failed' ELSE j.stage END,
j.progress, j.attempts, j.max_attempts, j.artifact_id, j.certificate_id, j.gate, j.report,
COALESCE(j.error, CASE WHEN ` + riverGaveUp + ` THEN COALESCE(r.errors[array_length(r.errors, 1)]->>'error', 'River ' || r.state || ' the job') END, ''),
j.created_at, j.started_at, CASE WHEN ` + riverGaveUp + ` THEN r.finalized_at ELSE j.finished_at END, j.updated_at`

func scanJob(row pgx.Row) (*market.Job, error) {
	var j market.Job
	err := row.Scan(&j.ID, &j.PartyID, &j.DatasetID, &j.CreatedBy, &j.Policy, &j.Mode, &j.Status, &j.Stage,
		&j.Progress, &j.Attempts, &j.MaxAttempts, &j.ArtifactID, &j.CertificateID, &j.Gate, &j.Report, &j.Error,
		&j.CreatedAt, &j.StartedAt, &j.FinishedAt, &j.UpdatedAt)
	if err != nil {
		return nil, translate(err)
	}
	return &j, nil
}

const insertJob = `
INSERT INTO jobs (id, party_id, dataset_id, created_by, policy, mode, status, stage, max_attempts, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, 'queued', 'queued', $7, $8, $8)`

// CreateJob queues j (its status is set to queued). It returns ErrNotFound
// when the dataset, party or user does not exist.
func (s *JobStore) CreateJob(ctx context.Context, j *market.Job) error {
	if j.MaxAttempts < 1 {
		j.MaxAttempts = 3
	}
	j.Status, j.Stage, j.UpdatedAt = market.JobQueued, "queued", j.CreatedAt
	_, err := s.db.Exec(ctx, insertJob, j.ID, j.PartyID, j.DatasetID, j.CreatedBy, j.Policy, j.Mode, j.MaxAttempts, j.CreatedAt)
	if err != nil {
		return fmt.Errorf("create job for dataset %s: %w", j.DatasetID, translate(err))
	}
	return nil
}

// SetRiverJob records that River job riverID runs job id.
func (s *JobStore) SetRiverJob(ctx context.Context, id uuid.UUID, riverID int64) error {
	tag, err := s.db.Exec(ctx, `UPDATE jobs SET river_job_id = $2 WHERE id = $1`, id, riverID)
	if err == nil && tag.RowsAffected() == 0 {
		err = notFound("job", id)
	}
	if err != nil {
		return fmt.Errorf("job %s: river job: %w", id, translate(err))
	}
	return nil
}

// RiverJob returns the River job that runs job id (0: none).
func (s *JobStore) RiverJob(ctx context.Context, id uuid.UUID) (int64, error) {
	var rid *int64
	if err := s.db.QueryRow(ctx, `SELECT river_job_id FROM jobs WHERE id = $1`, id).Scan(&rid); err != nil {
		return 0, fmt.Errorf("job %s: river job: %w", id, translate(err))
	}
	if rid == nil {
		return 0, nil
	}
	return *rid, nil
}

// Job returns job id, whoever's it is (market.Jobs checks who may see
// it), or an error wrapping ErrNotFound when there is none.
func (s *JobStore) Job(ctx context.Context, id uuid.UUID) (*market.Job, error) {
	j, err := scanJob(s.db.QueryRow(ctx, `SELECT `+jobColumns+jobFrom+` WHERE j.id = $1`, id))
	if err != nil {
		return nil, fmt.Errorf("job %s: %w", id, err)
	}
	return j, nil
}

const startJob = `
UPDATE jobs SET status = 'running', attempts = $2, stage = 'starting', progress = 0,
       started_at = COALESCE(started_at, $3), updated_at = $3
WHERE id = $1 AND status IN ('queued', 'running')`

// StartJob marks job id running on its attempt-th attempt and returns it.
// A job that already ended is returned as it is (River ran it again after
// its end was recorded): the caller does nothing more. It returns an error
// wrapping ErrNotFound when there is no such job.
func (s *JobStore) StartJob(ctx context.Context, id uuid.UUID, attempt int, now time.Time) (*market.Job, error) {
	if _, err := s.db.Exec(ctx, startJob, id, attempt, now); err != nil {
		return nil, fmt.Errorf("start job %s: %w", id, translate(err))
	}
	j, err := scanJob(s.db.QueryRow(ctx, `SELECT `+jobColumns+jobFrom+` WHERE j.id = $1`, id))
	if err != nil {
		return nil, fmt.Errorf("start job %s: %w", id, err)
	}
	return j, nil
}

const progressJob = `
UPDATE jobs SET stage = $2, progress = $3, updated_at = $4 WHERE id = $1 AND status = 'running'`

// ReportProgress persists a running job's stage and progress (0…1).
func (s *JobStore) ReportProgress(ctx context.Context, id uuid.UUID, stage string, progress float64, now time.Time) error {
	if _, err := s.db.Exec(ctx, progressJob, id, stage, min(max(progress, 0), 1), now); err != nil {
		return fmt.Errorf("job %s progress: %w", id, translate(err))
	}
	return nil
}

const requeueJob = `
UPDATE jobs SET status = 'queued', stage = 'queued', progress = 0, attempts = GREATEST(attempts - 1, 0), updated_at = $2
WHERE id = $1 AND status = 'running'`

// RequeueJob puts running job id back in the queue without counting its
// attempt: its server stopped while it ran (River snoozes the job).
func (s *JobStore) RequeueJob(ctx context.Context, id uuid.UUID, now time.Time) error {
	if _, err := s.db.Exec(ctx, requeueJob, id, now); err != nil {
		return fmt.Errorf("requeue job %s: %w", id, translate(err))
	}
	return nil
}

// isNotFound reports whether err is of kind market.ErrNotFound.
func isNotFound(err error) bool { return errors.Is(err, market.ErrNotFound) }
