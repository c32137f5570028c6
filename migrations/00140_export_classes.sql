-- Export classes of Shaanxi Art. 72 (issue 15): the data handler's (the
-- seller's) filings and assessment results for data leaving the mainland,
-- registered by the seller; the class every export order was placed in,
-- counted per seller since 1 January; and whether a party's controlling
-- party is overseas (then what it buys is exported).

-- +goose Up
CREATE TABLE export_filings (
    id            uuid PRIMARY KEY,
    seller_id     uuid NOT NULL REFERENCES parties (id),
    registered_by uuid NOT NULL REFERENCES users (id),
    -- a personal-information standard contract filed with the provincial
    -- CAC, a personal-information protection certification, or a data
    -- export security assessment passed
    kind          text NOT NULL CHECK (kind IN ('standard_contract', 'certification', 'security_assessment')),
    issuer        text NOT NULL CHECK (issuer <> ''),
    number        text NOT NULL CHECK (number <> ''),
    -- the listings the filing covers
    listing_ids   uuid[] NOT NULL CHECK (cardinality(listing_ids) > 0),
    valid_from    date NOT NULL,
    valid_to      date NOT NULL CHECK (valid_to >= valid_from),
    registered_at timestamptz NOT NULL,
    UNIQUE (seller_id, kind, number)
);
CREATE INDEX export_filings_seller_idx ON export_filings (seller_id, registered_at DESC);

CREATE TABLE order_exports (
    order_id           uuid PRIMARY KEY REFERENCES orders (id) DEFERRABLE INITIALLY DEFERRED,
    seller_id          uuid NOT NULL REFERENCES parties (id),
    buyer_id           uuid NOT NULL REFERENCES parties (id),
    class              text NOT NULL CHECK (class IN ('exempt', 'standard_contract_or_certification', 'security_assessment')),
    personal_subjects  bigint NOT NULL CHECK (personal_subjects >= 0),
    sensitive_subjects bigint NOT NULL CHECK (sensitive_subjects >= 0),
    filing_id          uuid REFERENCES export_filings (id),
    -- market.ExportDecision
    decision           jsonb NOT NULL,
    created_at         timestamptz NOT NULL
);
CREATE INDEX order_exports_seller_idx ON order_exports (seller_id, created_at);

ALTER TABLE parties ADD COLUMN controller_overseas boolean NOT NULL DEFAULT false;

-- Filings and export records are evidence: never changed or removed by the server.
REVOKE UPDATE, DELETE, TRUNCATE ON export_filings, order_exports FROM shujiao_app;

-- +goose Down
ALTER TABLE parties DROP COLUMN controller_overseas;
DROP TABLE order_exports;
DROP TABLE export_filings;
