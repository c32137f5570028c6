-- Government data (market/govdata): departments as parties, the catalog of
-- government data resources with their versions, the one source of each
-- datum, applications for conditional sharing and opening on the statutory
-- clocks, the approvals they grant, and objections (Tianjin Art. 10–23,
-- Municipal Art. 12–27, Shaanxi Art. 22–31).

-- +goose Up
ALTER TABLE parties DROP CONSTRAINT parties_type_check;
ALTER TABLE parties ADD CONSTRAINT parties_type_check
    CHECK (type IN ('participant', 'regulator', 'platform', 'department'));
ALTER TABLE memberships DROP CONSTRAINT memberships_role_check;
ALTER TABLE memberships ADD CONSTRAINT memberships_role_check
    CHECK (role IN ('seller', 'buyer', 'regulator', 'operator', 'department', 'coordinator'));

CREATE TABLE gov_resources (
    id            uuid PRIMARY KEY,
    code          text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$'),
    department_id uuid NOT NULL REFERENCES parties (id),
    version       integer NOT NULL CHECK (version >= 1),
    share_class   text NOT NULL CHECK (share_class IN ('unconditional', 'conditional', 'none')),
    open_class    text NOT NULL CHECK (open_class IN ('unconditional', 'conditional', 'none')),
    title         text NOT NULL,
    -- the whole resource as market/govdata.Resource JSON (fields, bases, …)
    body          jsonb NOT NULL,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);
CREATE INDEX gov_resources_department_idx ON gov_resources (department_id);

-- Every version of a resource as it stood, with why it changed.
CREATE TABLE gov_resource_versions (
    resource_id     uuid NOT NULL REFERENCES gov_resources (id),
    version         integer NOT NULL,
    body            jsonb NOT NULL,
    reason          text NOT NULL,
    objection_id    uuid,
    changed_by      uuid NOT NULL REFERENCES users (id),
    changed_at      timestamptz NOT NULL,
    ledger_entry_id uuid NOT NULL REFERENCES ledger_entries (id),
    PRIMARY KEY (resource_id, version)
);

-- One source per datum (一数一源, Shaanxi Art. 26): a data item has exactly
-- one resource that is its source.
CREATE TABLE gov_data_items (
    item        text PRIMARY KEY,
    resource_id uuid NOT NULL REFERENCES gov_resources (id)
);

-- The data of a resource's current version (machine-readable rows).
CREATE TABLE gov_resource_data (
    resource_id uuid PRIMARY KEY REFERENCES gov_resources (id),
    version     integer NOT NULL,
    columns     jsonb NOT NULL,
    rows        jsonb NOT NULL,
    updated_at  timestamptz NOT NULL
);

CREATE TABLE gov_applications (
    id           uuid PRIMARY KEY,
    kind         text NOT NULL CHECK (kind IN ('sharing', 'opening')),
    resource_id  uuid NOT NULL REFERENCES gov_resources (id),
    provider_id  uuid NOT NULL REFERENCES parties (id),
    applicant_id uuid NOT NULL REFERENCES parties (id),
    state        text NOT NULL CHECK (state IN ('received', 'accepted', 'provided', 'refused', 'escalated')),
    received_at  timestamptz NOT NULL,
    -- the application as market/govdata.Application JSON (clock, answer, …)
    body         jsonb NOT NULL,
    updated_at   timestamptz NOT NULL
);
CREATE INDEX gov_applications_provider_idx ON gov_applications (provider_id, state);
CREATE INDEX gov_applications_applicant_idx ON gov_applications (applicant_id);

CREATE TABLE gov_approvals (
    id             uuid PRIMARY KEY,
    application_id uuid NOT NULL UNIQUE REFERENCES gov_applications (id),
    resource_id    uuid NOT NULL REFERENCES gov_resources (id),
    holder_id      uuid NOT NULL REFERENCES parties (id),
    body           jsonb NOT NULL
);
CREATE INDEX gov_approvals_holder_idx ON gov_approvals (holder_id);

CREATE TABLE gov_objections (
    id          uuid PRIMARY KEY,
    resource_id uuid NOT NULL REFERENCES gov_resources (id),
    provider_id uuid NOT NULL REFERENCES parties (id),
    objector_id uuid NOT NULL REFERENCES parties (id),
    state       text NOT NULL CHECK (state IN ('received', 'upheld', 'dismissed', 'corrected')),
    received_at timestamptz NOT NULL,
    body        jsonb NOT NULL,
    updated_at  timestamptz NOT NULL
);
CREATE INDEX gov_objections_provider_idx ON gov_objections (provider_id, state);

-- +goose Down
DROP TABLE gov_objections;
DROP TABLE gov_approvals;
DROP TABLE gov_applications;
DROP TABLE gov_resource_data;
DROP TABLE gov_data_items;
DROP TABLE gov_resource_versions;
DROP TABLE gov_resources;
ALTER TABLE memberships DROP CONSTRAINT memberships_role_check;
ALTER TABLE memberships ADD CONSTRAINT memberships_role_check
    CHECK (role IN ('seller', 'buyer', 'regulator', 'operator'));
ALTER TABLE parties DROP CONSTRAINT parties_type_check;
ALTER TABLE parties ADD CONSTRAINT parties_type_check
    CHECK (type IN ('participant', 'regulator', 'platform'));
