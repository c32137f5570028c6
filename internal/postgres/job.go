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

// JobStore keeps background de-identification jobs: their queue, leases,
// progress and results. Workers in several server processes may share it:
// a job is claimed with FOR UPDATE SKIP LOCKED and leased to one worker,
// and a job whose lease expired (its worker died) is queued again or, once
// its attempts are spent, failed. It is safe for concurrent use.
type JobStore struct {
	db DB
}

// NewJobStore returns a job store over db (a pool or a transaction).
func NewJobStore(db DB) *JobStore { return &JobStore{db: db} }

const jobColumns = `id, party_id, dataset_id, created_by, policy, mode, status, stage, progress, attempts,
max_attempts, artifact_id, certificate_id, gate, report, COALESCE(error, ''), created_at, started_at, finished_at, updated_at`

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

// Job returns job id as actor may see it: ErrNotFound when there is none,
// or it is another party's and actor is no regulator.
func (s *JobStore) Job(ctx context.Context, actor market.Actor, id uuid.UUID) (*market.Job, error) {
	j, err := scanJob(s.db.QueryRow(ctx, `SELECT `+jobColumns+` FROM jobs WHERE id = $1`, id))
	if err == nil && !actor.CanReadParty(j.PartyID) {
		err = notFound("job", id)
	}
	if err != nil {
		return nil, fmt.Errorf("job %s: %w", id, err)
	}
	return j, nil
}

const claimJob = `
UPDATE jobs SET status = 'running', worker_id = $1, lease_until = $2, attempts = attempts + 1,
       stage = 'starting', progress = 0, started_at = COALESCE(started_at, $3), updated_at = $3
WHERE id = (SELECT id FROM jobs WHERE status = 'queued' ORDER BY created_at, id
            FOR UPDATE SKIP LOCKED LIMIT 1)
RETURNING ` + jobColumns

// ClaimJob leases the oldest queued job to worker until now+lease and
// returns it, or nil when the queue is empty.
func (s *JobStore) ClaimJob(ctx context.Context, worker uuid.UUID, now time.Time, lease time.Duration) (*market.Job, error) {
	j, err := scanJob(s.db.QueryRow(ctx, claimJob, worker, now.Add(lease), now))
	if err != nil {
		if isNotFound(err) {
			return nil, nil
		}
		return nil, fmt.Errorf("claim job: %w", err)
	}
	return j, nil
}

const progressJob = `
UPDATE jobs SET stage = $3, progress = $4, lease_until = $5, updated_at = $6
WHERE id = $1 AND worker_id = $2 AND status = 'running'`

// ReportProgress persists a running job's stage and progress (0…1) and
// renews worker's lease until now+lease. It returns an ErrConflict *Error
// with code job_lease_lost when worker no longer holds the job.
func (s *JobStore) ReportProgress(ctx context.Context, id, worker uuid.UUID, stage string, progress float64, now time.Time, lease time.Duration) error {
	tag, err := s.db.Exec(ctx, progressJob, id, worker, stage, min(max(progress, 0), 1), now.Add(lease), now)
	if err != nil {
		return fmt.Errorf("job %s progress: %w", id, translate(err))
	}
	if tag.RowsAffected() == 0 {
		return leaseLost(id)
	}
	return nil
}

// isNotFound reports whether err is of kind market.ErrNotFound.
func isNotFound(err error) bool { return errors.Is(err, market.ErrNotFound) }

func leaseLost(id uuid.UUID) error {
	return market.Errorf(market.ErrConflict, "job_lease_lost", "job %s is no longer leased to this worker", id)
}
