-- Listings (data products), the Art. 36 gate's decisions, the recorded
-- transitions of the listing state machine, and the versioned rule set the
-- gate reads. The catalog searches title and description with pg_trgm, in
-- Chinese as in English.

-- +goose Up
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE rulesets (
    version    integer PRIMARY KEY CHECK (version >= 1),
    body       jsonb NOT NULL,
    -- NULL for the rule set shipped with Shujiao
    created_by uuid REFERENCES users (id),
    created_at timestamptz NOT NULL
);

CREATE TABLE listings (
    id              uuid PRIMARY KEY,
    party_id        uuid NOT NULL REFERENCES parties (id),
    created_by      uuid NOT NULL REFERENCES users (id),
    state           text NOT NULL CHECK (state IN ('draft', 'submitted', 'listed', 'blocked', 'under_review', 'suspended', 'delisted')),
    -- the listing declaration, as the seller sent it (market.Listing)
    declaration     jsonb NOT NULL,
    title           text NOT NULL CHECK (title <> ''),
    description     text NOT NULL DEFAULT '',
    category        text NOT NULL,
    product_type    text NOT NULL CHECK (product_type IN ('dataset', 'api', 'report')),
    price           numeric(18, 2) CHECK (price >= 0),
    dataset_id      uuid REFERENCES datasets (id),
    certificate_id  uuid REFERENCES certificates (id),
    -- the last Art. 36 decision (market.GateResult) and its rule-set version
    decision        jsonb,
    ruleset_version integer REFERENCES rulesets (version),
    submissions     integer NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    listed_at       timestamptz
);
CREATE INDEX listings_party_idx ON listings (party_id, created_at DESC);
CREATE INDEX listings_state_idx ON listings (state, created_at DESC);
CREATE INDEX listings_catalog_idx ON listings (category, price) WHERE state = 'listed';
CREATE INDEX listings_search_trgm_idx ON listings USING gin ((title || ' ' || description) gin_trgm_ops);

-- every run of the Art. 36 gate on a listing, with the rule-set version used
CREATE TABLE listing_decisions (
    id              uuid PRIMARY KEY,
    listing_id      uuid NOT NULL REFERENCES listings (id),
    party_id        uuid NOT NULL REFERENCES parties (id),
    decision        text NOT NULL CHECK (decision IN ('listable', 'blocked', 'review')),
    violations      jsonb NOT NULL,
    ruleset_version integer NOT NULL REFERENCES rulesets (version),
    declaration     jsonb NOT NULL,
    decided_at      timestamptz NOT NULL
);
CREATE INDEX listing_decisions_listing_idx ON listing_decisions (listing_id, decided_at);

-- every move of the listing state machine: who, when, why
CREATE TABLE listing_transitions (
    id             uuid PRIMARY KEY,
    listing_id     uuid NOT NULL REFERENCES listings (id),
    party_id       uuid NOT NULL REFERENCES parties (id),
    from_state     text NOT NULL,
    to_state       text NOT NULL,
    action         text NOT NULL,
    role           text NOT NULL,
    -- NULL when the Art. 36 gate acted for the platform
    actor_user_id  uuid REFERENCES users (id),
    actor_party_id uuid REFERENCES parties (id),
    reason         text NOT NULL DEFAULT '',
    decision_id    uuid REFERENCES listing_decisions (id),
    at             timestamptz NOT NULL
);
CREATE INDEX listing_transitions_listing_idx ON listing_transitions (listing_id, at);

-- +goose Down
DROP TABLE listing_transitions;
DROP TABLE listing_decisions;
DROP TABLE listings;
DROP TABLE rulesets;
DROP EXTENSION IF EXISTS pg_trgm;
