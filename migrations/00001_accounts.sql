-- Accounts: parties (organizations and individuals), users, their
-- memberships with roles, browser sessions and API tokens. Secrets are never
-- stored: sessions and tokens keep the SHA-256 of theirs, users an argon2id
-- hash of their password.

-- +goose Up
CREATE TABLE parties (
    id           uuid PRIMARY KEY,
    kind         text NOT NULL CHECK (kind IN ('organization', 'individual')),
    type         text NOT NULL DEFAULT 'participant'
                 CHECK (type IN ('participant', 'regulator', 'platform')),
    name         text NOT NULL CHECK (name <> ''),
    -- unified social credit code (GB 32100-2015); organizations in the mainland only
    credit_code  text UNIQUE CHECK (credit_code IS NULL OR kind = 'organization'),
    -- GB/T 2260 province code ('61' Shaanxi) or 'overseas'
    jurisdiction text NOT NULL CHECK (jurisdiction ~ '^([0-9]{2}|overseas)$'),
    created_at   timestamptz NOT NULL DEFAULT now(),
    CHECK (type = 'participant' OR kind = 'organization')
);

CREATE TABLE users (
    id            uuid PRIMARY KEY,
    email         text NOT NULL UNIQUE CHECK (email = lower(email) AND email LIKE '%_@_%'),
    name          text NOT NULL,
    password_hash text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    disabled_at   timestamptz
);

CREATE TABLE memberships (
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    party_id   uuid NOT NULL REFERENCES parties (id) ON DELETE CASCADE,
    role       text NOT NULL CHECK (role IN ('seller', 'buyer', 'regulator', 'operator')),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, party_id, role)
);
CREATE INDEX memberships_party_idx ON memberships (party_id);

CREATE TABLE sessions (
    id          uuid PRIMARY KEY,
    secret_hash bytea NOT NULL UNIQUE CHECK (length(secret_hash) = 32),
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    party_id    uuid NOT NULL REFERENCES parties (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    revoked_at  timestamptz
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE api_tokens (
    id           uuid PRIMARY KEY,
    secret_hash  bytea NOT NULL UNIQUE CHECK (length(secret_hash) = 32),
    name         text NOT NULL,
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    party_id     uuid NOT NULL REFERENCES parties (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    revoked_at   timestamptz
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

-- +goose Down
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE memberships;
DROP TABLE users;
DROP TABLE parties;
