-- A buyer's trades with one seller, by index (issue 18).
--
-- Every quote reads the buyer's record with the listing's seller (paid
-- orders not cancelled or refunded: count, first payment, spend;
-- quote_inputs.go). No index had both parties: PostgreSQL read every order
-- of the seller (orders_seller_idx) or of the buyer (orders_buyer_idx) and
-- filtered, so a quote cost more with each order the seller had ever taken.
-- This index reads only the pair's orders, and carries what the sums need.
--
-- Built CONCURRENTLY, outside a transaction: a plain CREATE INDEX holds a
-- SHARE lock on orders for the whole build, and on a database with many
-- orders every server's order placement would wait for it during a rolling
-- upgrade (docs/deployment.md). A build that fails leaves an INVALID index:
-- DROP INDEX CONCURRENTLY orders_buyer_seller_idx, then migrate again.

-- +goose NO TRANSACTION
-- +goose Up
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_buyer_seller_idx ON orders (buyer_id, seller_id) INCLUDE (paid_at, amount, state);

-- +goose Down
DROP INDEX CONCURRENTLY IF EXISTS orders_buyer_seller_idx;
