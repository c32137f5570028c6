-- Fingerprinted copies: every delivered copy of a certified release is
-- marked with its order's keyed fingerprint (docs/fingerprint.md). The
-- order's secret is derived from the platform key and never stored; this
-- table keeps what a trace needs to recompute it and what the copy was.

-- +goose Up
CREATE TABLE delivery_copies (
    order_id        uuid PRIMARY KEY REFERENCES orders (id),
    listing_id      uuid NOT NULL REFERENCES listings (id),
    buyer_id        uuid NOT NULL REFERENCES parties (id),
    certificate_id  uuid NOT NULL REFERENCES certificates (id),
    release_name    text NOT NULL,
    release_sha256  text NOT NULL CHECK (release_sha256 ~ '^[0-9a-f]{64}$'),
    copy_sha256     text NOT NULL CHECK (copy_sha256 ~ '^[0-9a-f]{64}$'),
    copy_size       bigint NOT NULL CHECK (copy_size >= 0),
    plan            jsonb NOT NULL,
    stats           jsonb NOT NULL,
    created_at      timestamptz NOT NULL,
    ledger_entry_id uuid NOT NULL REFERENCES ledger_entries (id)
);
CREATE INDEX delivery_copies_listing_idx ON delivery_copies (listing_id);

-- +goose Down
DROP TABLE delivery_copies;
