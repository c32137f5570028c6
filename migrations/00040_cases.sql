-- Regulator cases (Shaanxi Art. 74, 75, 77): a case is opened by a
-- regulator from one or more flags of one party; it gathers notes and
-- documents, decisions (dismiss, order correction 责令改正, proceed to
-- penalty), at most one correction order with the seller's responses, and
-- the penalties computed for it. Every row is written in the same
-- transaction as the ledger event that records it (ledger_entry_id).

-- +goose Up
CREATE TABLE cases (
    id                 uuid PRIMARY KEY,
    party_id           uuid NOT NULL REFERENCES parties (id),
    authority_party_id uuid NOT NULL REFERENCES parties (id),
    opened_by          uuid NOT NULL REFERENCES users (id),
    title              text NOT NULL CHECK (title <> ''),
    status             text NOT NULL CHECK (status IN ('open', 'correction_ordered', 'penalty', 'dismissed')),
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    ledger_entry_id    uuid NOT NULL REFERENCES ledger_entries (id)
);
CREATE INDEX cases_party_idx ON cases (party_id, created_at DESC);
CREATE INDEX cases_status_idx ON cases (status, created_at DESC, id DESC);

-- A flag is taken into at most one case.
CREATE TABLE case_flags (
    case_id uuid NOT NULL REFERENCES cases (id),
    flag_id uuid NOT NULL UNIQUE REFERENCES flags (id),
    PRIMARY KEY (case_id, flag_id)
);

CREATE TABLE case_notes (
    id              uuid PRIMARY KEY,
    case_id         uuid NOT NULL REFERENCES cases (id),
    author_user_id  uuid NOT NULL REFERENCES users (id),
    text            text NOT NULL CHECK (text <> ''),
    -- a document filed with the note: {"title": …, "sha256": …, "media_type": …}
    document        jsonb,
    created_at      timestamptz NOT NULL,
    ledger_entry_id uuid NOT NULL REFERENCES ledger_entries (id)
);
CREATE INDEX case_notes_case_idx ON case_notes (case_id, created_at);

CREATE TABLE case_decisions (
    id              uuid PRIMARY KEY,
    case_id         uuid NOT NULL REFERENCES cases (id),
    action          text NOT NULL CHECK (action IN ('dismiss', 'order_correction', 'proceed_to_penalty')),
    from_status     text NOT NULL,
    to_status       text NOT NULL,
    reason          text NOT NULL DEFAULT '',
    decided_by      uuid NOT NULL REFERENCES users (id),
    decided_at      timestamptz NOT NULL,
    ledger_entry_id uuid NOT NULL REFERENCES ledger_entries (id)
);
CREATE INDEX case_decisions_case_idx ON case_decisions (case_id, decided_at);

-- The correction order (责令改正) of a case; deadline is the last working
-- day (Asia/Shanghai) counted by the working-day calendar.
CREATE TABLE correction_orders (
    id              uuid PRIMARY KEY,
    case_id         uuid NOT NULL UNIQUE REFERENCES cases (id),
    party_id        uuid NOT NULL REFERENCES parties (id),
    breaches        text[] NOT NULL,
    requirement     text NOT NULL CHECK (requirement <> ''),
    workdays        integer NOT NULL CHECK (workdays > 0),
    issued_at       timestamptz NOT NULL,
    deadline        date NOT NULL,
    ledger_entry_id uuid NOT NULL REFERENCES ledger_entries (id)
);
CREATE INDEX correction_orders_party_idx ON correction_orders (party_id, issued_at DESC);

CREATE TABLE correction_responses (
    id              uuid PRIMARY KEY,
    order_id        uuid NOT NULL REFERENCES correction_orders (id),
    action          text NOT NULL CHECK (action IN ('correct', 'delist', 'contest')),
    statement       text NOT NULL DEFAULT '',
    user_id         uuid NOT NULL REFERENCES users (id),
    responded_at    timestamptz NOT NULL,
    on_time         boolean NOT NULL,
    ledger_entry_id uuid NOT NULL REFERENCES ledger_entries (id)
);
CREATE INDEX correction_responses_order_idx ON correction_responses (order_id, responded_at);

-- Each penalty computation: the case file given to the engine (the same
-- JSON `shujiao penalty` reads), its result, and where the figures came from.
CREATE TABLE case_penalties (
    id              uuid PRIMARY KEY,
    case_id         uuid NOT NULL REFERENCES cases (id),
    input           jsonb NOT NULL,
    result          jsonb NOT NULL,
    basis           jsonb NOT NULL,
    computed_by     uuid NOT NULL REFERENCES users (id),
    computed_at     timestamptz NOT NULL,
    ledger_entry_id uuid NOT NULL REFERENCES ledger_entries (id)
);
CREATE INDEX case_penalties_case_idx ON case_penalties (case_id, computed_at DESC);

-- +goose Down
DROP TABLE case_penalties;
DROP TABLE correction_responses;
DROP TABLE correction_orders;
DROP TABLE case_decisions;
DROP TABLE case_notes;
DROP TABLE case_flags;
DROP TABLE cases;
