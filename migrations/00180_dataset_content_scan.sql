-- The values of an upload are scanned with the content signatures' value
-- patterns of the rule set in force (issue 15, Shaanxi Art. 36(3)): per
-- signature, the fingerprint of its patterns and, per column, how many
-- distinct sampled values matched out of how many — counts only, never a
-- value. NULL: uploaded before values were scanned (the gate sends such a
-- listing to review).

-- +goose Up
ALTER TABLE datasets ADD COLUMN content_scan jsonb;

-- +goose Down
ALTER TABLE datasets DROP COLUMN content_scan;
