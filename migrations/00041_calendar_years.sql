-- Working-day calendar years added by operators: each row is one year's
-- State Council holiday arrangement ({"source", "holidays", "workdays"},
-- the format of market/calendar/cn-workdays.json), merged over the
-- calendar embedded in the binary; a stored year replaces the embedded one.

-- +goose Up
CREATE TABLE calendar_years (
    year            integer PRIMARY KEY CHECK (year BETWEEN 1949 AND 2999),
    arrangement     jsonb NOT NULL,
    updated_by      uuid NOT NULL REFERENCES users (id),
    updated_at      timestamptz NOT NULL,
    ledger_entry_id uuid NOT NULL REFERENCES ledger_entries (id)
);

-- +goose Down
DROP TABLE calendar_years;
