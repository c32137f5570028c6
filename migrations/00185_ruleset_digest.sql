-- The digest of each stored rule set, computed once when it is stored
-- (issue 18): the server caches the parsed rule set in force and asks, on
-- every quote and order, whether the newest version is still the one it
-- parsed. Comparing a stored digest costs an index probe; hashing the
-- body's text on every call cost more than most statements of an order.
-- Versions are never changed once stored, so the digest never goes stale.

-- +goose Up
ALTER TABLE rulesets ADD COLUMN digest text GENERATED ALWAYS AS (md5(version::text || ':' || body::text)) STORED;

-- +goose Down
ALTER TABLE rulesets DROP COLUMN digest;
