-- Price-plan versions carry the period they price (issue 16): a new
-- version is effective from its publication, and publishing it closes the
-- previous one (effective_to). Versions stored before this migration get
-- the same periods from their creation times.

-- +goose Up
ALTER TABLE price_plans
    ADD COLUMN effective_from timestamptz,
    ADD COLUMN effective_to   timestamptz;
UPDATE price_plans p SET effective_from = p.created_at,
    effective_to = (SELECT min(n.created_at) FROM price_plans n WHERE n.listing_id = p.listing_id AND n.version > p.version);
ALTER TABLE price_plans
    ALTER COLUMN effective_from SET NOT NULL,
    ADD CONSTRAINT price_plans_effective_period CHECK (effective_to IS NULL OR effective_to >= effective_from);

-- +goose Down
ALTER TABLE price_plans DROP CONSTRAINT price_plans_effective_period,
    DROP COLUMN effective_to,
    DROP COLUMN effective_from;
