-- Datasets, de-identification jobs, released artifacts and certificates.
-- Files live encrypted in the content-addressed blob store under the data
-- directory (internal/blob); these tables hold their SHA-256 and metadata.
-- Every row carries the owning party_id, the distribution key should the
-- schema move to Citus.

-- +goose Up
CREATE TABLE datasets (
    id          uuid PRIMARY KEY,
    party_id    uuid NOT NULL REFERENCES parties (id),
    uploaded_by uuid NOT NULL REFERENCES users (id),
    name        text NOT NULL CHECK (name <> ''),
    format      text NOT NULL CHECK (format IN ('csv', 'tsv', 'jsonl', 'xlsx')),
    sha256      text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size_bytes  bigint NOT NULL CHECK (size_bytes >= 0),
    row_count   bigint NOT NULL CHECK (row_count >= 0),
    columns     jsonb NOT NULL,
    -- anonymizer detection: identifier types per column and proposed roles
    detection   jsonb NOT NULL,
    created_at  timestamptz NOT NULL
);
CREATE INDEX datasets_party_idx ON datasets (party_id, created_at DESC);
CREATE INDEX datasets_sha256_idx ON datasets (sha256);

CREATE TABLE jobs (
    id             uuid PRIMARY KEY,
    party_id       uuid NOT NULL REFERENCES parties (id),
    dataset_id     uuid NOT NULL REFERENCES datasets (id),
    created_by     uuid NOT NULL REFERENCES users (id),
    kind           text NOT NULL DEFAULT 'deidentify' CHECK (kind IN ('deidentify')),
    -- anonymizer.Policy JSON and the release mode of the irreversibility gate
    policy         jsonb NOT NULL,
    mode           text NOT NULL CHECK (mode IN ('public', 'agreement', 'enclave')),
    status         text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'rejected', 'failed')),
    stage          text NOT NULL DEFAULT '',
    progress       double precision NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 1),
    attempts       integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    max_attempts   integer NOT NULL DEFAULT 3 CHECK (max_attempts >= 1),
    -- a running job is leased by one worker; an expired lease means the
    -- worker died and the job is resumed or failed (never stuck running)
    worker_id      uuid,
    lease_until    timestamptz,
    artifact_id    uuid,
    certificate_id uuid,
    -- the irreversibility gate's result (reasons when it refused)
    gate           jsonb,
    report         jsonb,
    error          text,
    created_at     timestamptz NOT NULL,
    started_at     timestamptz,
    finished_at    timestamptz,
    updated_at     timestamptz NOT NULL,
    CHECK (status <> 'running' OR (worker_id IS NOT NULL AND lease_until IS NOT NULL))
);
CREATE INDEX jobs_party_idx ON jobs (party_id, created_at DESC);
CREATE INDEX jobs_queued_idx ON jobs (created_at) WHERE status = 'queued';
CREATE INDEX jobs_running_idx ON jobs (lease_until) WHERE status = 'running';

CREATE TABLE artifacts (
    id         uuid PRIMARY KEY,
    party_id   uuid NOT NULL REFERENCES parties (id),
    dataset_id uuid NOT NULL REFERENCES datasets (id),
    job_id     uuid NOT NULL REFERENCES jobs (id),
    name       text NOT NULL,
    format     text NOT NULL,
    sha256     text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size_bytes bigint NOT NULL CHECK (size_bytes >= 0),
    -- the anonymizer report of the release
    report     jsonb NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX artifacts_party_idx ON artifacts (party_id);

CREATE TABLE certificates (
    id          uuid PRIMARY KEY,
    party_id    uuid NOT NULL REFERENCES parties (id),
    dataset_id  uuid NOT NULL REFERENCES datasets (id),
    artifact_id uuid NOT NULL UNIQUE REFERENCES artifacts (id),
    -- the exact signed bytes of the certificate JSON and its armored
    -- detached OpenPGP signature by the platform key
    body        bytea NOT NULL,
    signature   text NOT NULL CHECK (signature LIKE '-----BEGIN PGP SIGNATURE-----%'),
    passed      boolean NOT NULL,
    level       text NOT NULL CHECK (level IN ('L1', 'L2', 'L3', 'L4')),
    created_at  timestamptz NOT NULL
);
CREATE INDEX certificates_party_idx ON certificates (party_id);

ALTER TABLE jobs
    ADD FOREIGN KEY (artifact_id) REFERENCES artifacts (id),
    ADD FOREIGN KEY (certificate_id) REFERENCES certificates (id);

-- +goose Down
ALTER TABLE jobs DROP CONSTRAINT jobs_artifact_id_fkey, DROP CONSTRAINT jobs_certificate_id_fkey;
DROP TABLE certificates;
DROP TABLE artifacts;
DROP TABLE jobs;
DROP TABLE datasets;
