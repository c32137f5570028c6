-- The progress of a running de-identification job (issue 19): its phase,
-- the fraction of the phase done and the rows read, written by the worker
-- about once a second and read by GET /v1/jobs/{id} and the job page. Kept
-- apart from the jobs table, so that it does not depend on the runner.

-- +goose Up
CREATE TABLE job_progress (
    job_id     uuid PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
    phase      text NOT NULL CHECK (phase IN ('read', 'search', 'check', 'write')),
    fraction   double precision NOT NULL CHECK (fraction >= 0 AND fraction <= 1),
    rows_read  bigint NOT NULL CHECK (rows_read >= 0),
    rows_total bigint NOT NULL CHECK (rows_total >= 0),
    updated_at timestamptz NOT NULL
);

-- +goose Down
DROP TABLE job_progress;
