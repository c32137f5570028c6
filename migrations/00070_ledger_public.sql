-- The public auditor API (GET /v1/ledger/proof-by-hash) finds a leaf by its
-- hash, as RFC 6962 §4.5 get-proof-by-hash does.

-- +goose Up
CREATE INDEX ledger_leaves_hash_idx ON ledger_leaves (leaf_hash);

-- +goose Down
DROP INDEX ledger_leaves_hash_idx;
