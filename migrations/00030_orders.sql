-- Price plans (versioned, per listing), quotes priced by the engine,
-- orders with their escrow life cycle, buyers' OpenPGP keys and encrypted
-- deliveries with their expiring download links. Every change here is
-- recorded by a ledger event appended in the same transaction.

-- +goose Up
-- The credit status of Shaanxi Art. 37(2) is read from the party record,
-- never from a buyer's request; a party nobody has rated yet is B.
ALTER TABLE parties ADD COLUMN credit_rating text NOT NULL DEFAULT 'B'
    CHECK (credit_rating IN ('A', 'B', 'C', 'D'));

CREATE TABLE party_pgp_keys (
    party_id    uuid PRIMARY KEY REFERENCES parties (id),
    armored     text NOT NULL CHECK (armored LIKE '-----BEGIN PGP PUBLIC KEY BLOCK-----%'),
    fingerprint text NOT NULL,
    updated_by  uuid NOT NULL REFERENCES users (id),
    updated_at  timestamptz NOT NULL
);

CREATE TABLE price_plans (
    listing_id      uuid NOT NULL REFERENCES listings (id),
    version         integer NOT NULL CHECK (version >= 1),
    party_id        uuid NOT NULL REFERENCES parties (id),
    -- the plan as the engine reads it (market.PricePlan)
    body            jsonb NOT NULL,
    created_by      uuid NOT NULL REFERENCES users (id),
    created_at      timestamptz NOT NULL,
    ledger_entry_id uuid NOT NULL REFERENCES ledger_entries (id),
    PRIMARY KEY (listing_id, version)
);

CREATE TABLE quotes (
    id              uuid PRIMARY KEY,
    listing_id      uuid NOT NULL REFERENCES listings (id),
    plan_version    integer NOT NULL,
    seller_id       uuid NOT NULL REFERENCES parties (id),
    buyer_id        uuid NOT NULL REFERENCES parties (id),
    -- the five transaction conditions (market.Conditions) and their key
    conditions      jsonb NOT NULL,
    condition_key   text NOT NULL,
    -- buyer-profile attributes, recorded for the detector, never priced
    profile         jsonb NOT NULL,
    pricing         jsonb NOT NULL,
    negotiated      boolean NOT NULL DEFAULT false,
    counter_of      uuid REFERENCES quotes (id),
    unit_price      numeric(20, 4) NOT NULL CHECK (unit_price >= 0),
    quantity        numeric(20, 4) NOT NULL CHECK (quantity > 0),
    amount          numeric(20, 2) NOT NULL CHECK (amount >= 0),
    created_at      timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    ledger_entry_id uuid NOT NULL REFERENCES ledger_entries (id),
    FOREIGN KEY (listing_id, plan_version) REFERENCES price_plans (listing_id, version)
);
CREATE INDEX quotes_buyer_idx ON quotes (buyer_id, created_at DESC);
CREATE INDEX quotes_seller_idx ON quotes (seller_id, listing_id, created_at);

CREATE TABLE orders (
    id                     uuid PRIMARY KEY,
    quote_id               uuid NOT NULL UNIQUE REFERENCES quotes (id),
    listing_id             uuid NOT NULL REFERENCES listings (id),
    seller_id              uuid NOT NULL REFERENCES parties (id),
    buyer_id               uuid NOT NULL REFERENCES parties (id),
    created_by             uuid NOT NULL REFERENCES users (id),
    -- the Idempotency-Key header: one order per key and buyer party
    idempotency_key        text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 200),
    request_sha256         text NOT NULL,
    state                  text NOT NULL CHECK (state IN ('created', 'paid', 'delivered', 'settled', 'cancelled', 'disputed', 'refunded')),
    unit_price             numeric(20, 4) NOT NULL,
    quantity               numeric(20, 4) NOT NULL,
    amount                 numeric(20, 2) NOT NULL CHECK (amount >= 0),
    fee_rate               numeric(6, 4) NOT NULL CHECK (fee_rate >= 0 AND fee_rate < 1),
    fee                    numeric(20, 2) NOT NULL CHECK (fee >= 0),
    usage_purpose          text NOT NULL CHECK (usage_purpose <> ''),
    licence_terms          jsonb NOT NULL,
    -- Shaanxi Art. 72: the data-export security assessment, when data leaves the mainland
    export                 boolean NOT NULL,
    export_assessment_ref  text,
    -- the Shaanxi Art. 36 gate, run again when the order was placed
    gate                   jsonb NOT NULL,
    dispute_reason         text,
    created_at             timestamptz NOT NULL,
    paid_at                timestamptz,
    settle_due_at          timestamptz,
    delivered_at           timestamptz,
    settled_at             timestamptz,
    settled_by             text CHECK (settled_by IN ('acceptance', 'auto_settlement')),
    cancelled_at           timestamptz,
    disputed_at            timestamptz,
    refunded_at            timestamptz,
    updated_at             timestamptz NOT NULL,
    UNIQUE (buyer_id, idempotency_key),
    CHECK (NOT export OR export_assessment_ref IS NOT NULL)
);
CREATE INDEX orders_buyer_idx ON orders (buyer_id, created_at DESC);
CREATE INDEX orders_seller_idx ON orders (seller_id, created_at DESC);
CREATE INDEX orders_listing_idx ON orders (listing_id, created_at);
CREATE INDEX orders_settle_due_idx ON orders (settle_due_at) WHERE state IN ('paid', 'delivered');

-- the certified artifact of an order, encrypted to the buyer's key and
-- signed by the platform key, kept in the blob store
CREATE TABLE deliveries (
    order_id        uuid PRIMARY KEY REFERENCES orders (id),
    buyer_id        uuid NOT NULL REFERENCES parties (id),
    certificate_id  uuid NOT NULL REFERENCES certificates (id),
    blob_sha256     text NOT NULL,
    size_bytes      bigint NOT NULL CHECK (size_bytes >= 0),
    recipient_fpr   text NOT NULL,
    signer_fpr      text NOT NULL,
    created_at      timestamptz NOT NULL,
    ledger_entry_id uuid NOT NULL REFERENCES ledger_entries (id)
);

-- expiring download links: only the SHA-256 of the token is stored
CREATE TABLE download_tokens (
    token_sha256 bytea PRIMARY KEY CHECK (length(token_sha256) = 32),
    order_id     uuid NOT NULL REFERENCES deliveries (order_id),
    buyer_id     uuid NOT NULL REFERENCES parties (id),
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz
);
CREATE INDEX download_tokens_order_idx ON download_tokens (order_id);

-- +goose Down
DROP TABLE download_tokens;
DROP TABLE deliveries;
DROP TABLE orders;
DROP TABLE quotes;
DROP TABLE price_plans;
DROP TABLE party_pgp_keys;
ALTER TABLE parties DROP COLUMN credit_rating;
