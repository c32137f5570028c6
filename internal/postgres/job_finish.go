package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/market"
)

const finishJob = `
UPDATE jobs SET status = $3, stage = $4, progress = CASE WHEN $3 = 'succeeded' THEN 1 ELSE progress END,
       artifact_id = $5, certificate_id = $6, gate = $7, report = $8, error = NULLIF($9, ''),
       worker_id = NULL, lease_until = NULL, finished_at = $10, updated_at = $10
WHERE id = $1 AND worker_id = $2 AND status = 'running'`

// FinishJob records how worker's job id ended, storing the artifact and
// certificate of a success in the same transaction. It returns an
// ErrConflict *Error with code job_lease_lost when worker no longer holds
// the job (nothing is stored then).
func (s *JobStore) FinishJob(ctx context.Context, id, worker uuid.UUID, out market.JobOutcome, now time.Time) error {
	if !out.Status.Terminal() {
		return fmt.Errorf("finish job %s: status %q is not terminal", id, out.Status)
	}
	err := InTx(ctx, s.db, func(tx pgx.Tx) error {
		var artifactID, certID *uuid.UUID
		if a := out.Artifact; a != nil {
			if err := createArtifact(ctx, tx, a); err != nil {
				return err
			}
			artifactID = &a.ID
		}
		if c := out.Certificate; c != nil {
			if err := createCertificate(ctx, tx, c); err != nil {
				return err
			}
			certID = &c.ID
		}
		tag, err := tx.Exec(ctx, finishJob, id, worker, out.Status, string(out.Status), artifactID, certID,
			nullJSON(out.Gate), nullJSON(out.Report), out.Error, now)
		if err != nil {
			return translate(err)
		}
		if tag.RowsAffected() == 0 {
			return leaseLost(id)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("finish job %s: %w", id, err)
	}
	return nil
}

const releaseJobs = `
UPDATE jobs SET status = 'queued', stage = 'queued', progress = 0, worker_id = NULL, lease_until = NULL,
       attempts = GREATEST(attempts - 1, 0), updated_at = $2
WHERE worker_id = $1 AND status = 'running'`

// ReleaseJobs queues again, without counting the attempt, every job worker
// holds: a worker that stops cleanly (server shutdown) hands its jobs back.
func (s *JobStore) ReleaseJobs(ctx context.Context, worker uuid.UUID, now time.Time) (int64, error) {
	tag, err := s.db.Exec(ctx, releaseJobs, worker, now)
	if err != nil {
		return 0, fmt.Errorf("release jobs of worker %s: %w", worker, translate(err))
	}
	return tag.RowsAffected(), nil
}

const recoverJobs = `
UPDATE jobs SET
    status = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'queued' END,
    stage = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'queued' END,
    progress = CASE WHEN attempts >= max_attempts THEN progress ELSE 0 END,
    error = CASE WHEN attempts >= max_attempts
                 THEN 'the worker running this job stopped ' || attempts || ' times (server crash or restart); giving up'
                 ELSE error END,
    finished_at = CASE WHEN attempts >= max_attempts THEN $1 ELSE NULL END,
    worker_id = NULL, lease_until = NULL, updated_at = $1
WHERE status = 'running' AND (lease_until < $1 OR ` + workerGone + `)
RETURNING status`

// RecoverJobs finds running jobs whose lease expired before now, or whose
// worker holds no HoldWorker lock — their worker crashed or the server was
// killed — and queues each again (it will
// be resumed from the start) or, when its attempts are spent, fails it.
// It returns how many were queued again and how many failed.
func (s *JobStore) RecoverJobs(ctx context.Context, now time.Time) (requeued, failed int, err error) {
	rows, err := s.db.Query(ctx, recoverJobs, now)
	if err != nil {
		return 0, 0, fmt.Errorf("recover jobs: %w", translate(err))
	}
	defer rows.Close()
	for rows.Next() {
		var st market.JobStatus
		if err := rows.Scan(&st); err != nil {
			return 0, 0, fmt.Errorf("recover jobs: %w", translate(err))
		}
		if st == market.JobFailed {
			failed++
		} else {
			requeued++
		}
	}
	if err := rows.Err(); err != nil {
		return 0, 0, fmt.Errorf("recover jobs: %w", translate(err))
	}
	return requeued, failed, nil
}

// JobDataset returns the dataset of a job, for the worker (no actor check).
func (s *JobStore) JobDataset(ctx context.Context, id uuid.UUID) (*market.Dataset, error) {
	d, err := scanDataset(s.db.QueryRow(ctx, `SELECT `+datasetColumns+` FROM datasets WHERE id = $1`, id))
	if err != nil {
		return nil, fmt.Errorf("dataset %s of job: %w", id, err)
	}
	return d, nil
}

// nullJSON returns nil for an empty document, so that the column is NULL.
func nullJSON(b json.RawMessage) any {
	if len(b) == 0 {
		return nil
	}
	return b
}
