-- A buyer's trades with one seller, by index (issue 18).
--
-- Every quote reads the buyer's record with the listing's seller (paid
-- orders not cancelled or refunded: count, first payment, spend;
-- quote_inputs.go). No index had both parties: PostgreSQL read every order
-- of the seller (orders_seller_idx) or of the buyer (orders_buyer_idx) and
-- filtered, so a quote cost more with each order the seller had ever taken.
-- This index reads only the pair's orders, and carries what the sums need.

-- +goose Up
CREATE INDEX orders_buyer_seller_idx ON orders (buyer_id, seller_id) INCLUDE (paid_at, amount, state);

-- +goose Down
DROP INDEX orders_buyer_seller_idx;
