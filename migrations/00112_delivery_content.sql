-- A delivery records what it delivered (issue 16: what is paid is what is
-- delivered): the plan unit and quantity paid for, the selection rule
-- (whole_release or first_rows), the rows delivered (null for the whole
-- release), the delivered file's name and SHA-256 and the certified
-- release's SHA-256 (market.DeliveredContent as JSON). Deliveries sealed
-- before this migration have none (they delivered the whole release).

-- +goose Up
ALTER TABLE deliveries ADD COLUMN content jsonb
    CHECK (content IS NULL OR (content ? 'selection' AND content ? 'content_sha256' AND content ? 'quantity'));

-- +goose Down
ALTER TABLE deliveries DROP COLUMN content;
