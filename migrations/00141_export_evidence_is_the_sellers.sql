-- Shaanxi Art. 72 (issue 15): the evidence for an export is the seller's
-- registered filing (export_filings, order_exports), not a reference the
-- buyer types; an exempt export needs none. The check of 00030 that every
-- export order carries the buyer's reference goes.

-- +goose Up
ALTER TABLE orders DROP CONSTRAINT orders_check;

-- +goose Down
ALTER TABLE orders ADD CONSTRAINT orders_check CHECK (NOT export OR export_assessment_ref IS NOT NULL) NOT VALID;
