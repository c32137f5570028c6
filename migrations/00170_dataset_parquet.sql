-- Datasets may be Apache Parquet files (issue 19): read page by page, and
-- their releases written as Parquet.

-- +goose Up
ALTER TABLE datasets DROP CONSTRAINT datasets_format_check;
ALTER TABLE datasets ADD CONSTRAINT datasets_format_check
    CHECK (format IN ('csv', 'tsv', 'jsonl', 'xlsx', 'parquet'));

-- +goose Down
ALTER TABLE datasets DROP CONSTRAINT datasets_format_check;
ALTER TABLE datasets ADD CONSTRAINT datasets_format_check
    CHECK (format IN ('csv', 'tsv', 'jsonl', 'xlsx'));
