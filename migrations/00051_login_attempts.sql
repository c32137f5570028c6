-- The one login limiter: attempts per key ("email:<address>", "ip:<client>")
-- in the window that began with the first of them, counted in one atomic
-- upsert so that concurrent attempts cannot race past the limit, kept in
-- PostgreSQL so that every serve process (API and pages alike) shares it
-- and a restart forgets nothing.

-- +goose Up
CREATE TABLE login_attempts (
    key          text PRIMARY KEY CHECK (key <> ''),
    window_start timestamptz NOT NULL,
    attempts     integer NOT NULL CHECK (attempts >= 0)
);
CREATE INDEX login_attempts_window_idx ON login_attempts (window_start);

-- +goose Down
DROP TABLE login_attempts;
