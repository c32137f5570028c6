-- Settlement as documented: an order's auto-settlement period counts from
-- delivery (settle_due_at is set when the buyer first downloads it), and a
-- paid order not delivered by deliver_by is refunded to the buyer
-- automatically. Each order keeps the periods it was placed under.

-- +goose Up
ALTER TABLE orders
    ADD COLUMN deliver_by   timestamptz,
    ADD COLUMN settle_after interval NOT NULL DEFAULT interval '7 days' CHECK (settle_after > interval '0');
ALTER TABLE orders ALTER COLUMN settle_after DROP DEFAULT;
-- orders paid before this migration: the default delivery period from payment,
-- and no settlement date until they are delivered
UPDATE orders SET deliver_by = paid_at + interval '14 days', settle_due_at = NULL
 WHERE state = 'paid';
CREATE INDEX orders_deliver_by_idx ON orders (deliver_by) WHERE state = 'paid';

-- +goose Down
DROP INDEX orders_deliver_by_idx;
ALTER TABLE orders DROP COLUMN settle_after, DROP COLUMN deliver_by;
