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
UPDATE jobs SET status = $2, stage = $3, progress = CASE WHEN $2 = 'succeeded' THEN 1 ELSE progress END,
       artifact_id = $4, certificate_id = $5, gate = $6, report = $7, error = NULLIF($8, ''),
       finished_at = $9, updated_at = $9
WHERE id = $1 AND status IN ('queued', 'running')`

// FinishJob records how job id ended, storing the artifact and certificate
// of a success in the same transaction. It returns an ErrConflict *Error
// with code job_finished when the job's end was already recorded (nothing
// is stored then).
func (s *JobStore) FinishJob(ctx context.Context, id uuid.UUID, out market.JobOutcome, now time.Time) error {
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
		tag, err := tx.Exec(ctx, finishJob, id, out.Status, string(out.Status), artifactID, certID,
			nullJSON(out.Gate), nullJSON(out.Report), out.Error, now)
		if err != nil {
			return translate(err)
		}
		if tag.RowsAffected() == 0 {
			return market.Errorf(market.ErrConflict, "job_finished", "job %s already ended", id)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("finish job %s: %w", id, err)
	}
	return nil
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
