-- Flags: findings of the gates for regulators to review (Shaanxi Art. 36
-- blocks and repeated submissions, Art. 37 price flags, Tianjin Art. 29
-- releases failing after listing, refused exports under Shaanxi Art. 72).
-- Raising a flag appends a flag.raised ledger event in the same
-- transaction; ledger_entry_id names it.

-- +goose Up
CREATE TABLE flags (
    id              uuid PRIMARY KEY,
    rule            text NOT NULL CHECK (rule ~ '^[a-z0-9][a-z0-9_-]*$'),
    article         text NOT NULL CHECK (article <> ''),
    kind            text NOT NULL CHECK (kind ~ '^[a-z0-9][a-z0-9_]*$'),
    party_id        uuid NOT NULL REFERENCES parties (id),
    listing_id      uuid,
    summary         text NOT NULL CHECK (summary <> ''),
    evidence        jsonb NOT NULL DEFAULT '{}',
    status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_case', 'dismissed')),
    created_at      timestamptz NOT NULL,
    ledger_entry_id uuid NOT NULL REFERENCES ledger_entries (id)
);
CREATE INDEX flags_status_idx ON flags (status, created_at DESC, id DESC);
CREATE INDEX flags_party_idx ON flags (party_id, created_at DESC);
CREATE INDEX flags_listing_idx ON flags (listing_id, created_at DESC) WHERE listing_id IS NOT NULL;
CREATE INDEX flags_article_idx ON flags (article, created_at DESC);

-- +goose Down
DROP TABLE flags;
