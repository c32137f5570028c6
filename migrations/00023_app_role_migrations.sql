-- The server role shujiao_app (migration 00020) received every table of
-- the schema, goose's version table among them; migrations are the
-- migrating role's alone.

-- +goose Up
-- +goose StatementBegin
DO $$
BEGIN
    IF to_regclass('goose_db_version') IS NOT NULL THEN
        REVOKE ALL ON goose_db_version FROM shujiao_app;
    END IF;
END
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
DO $$
BEGIN
    IF to_regclass('goose_db_version') IS NOT NULL THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON goose_db_version TO shujiao_app;
    END IF;
END
$$;
-- +goose StatementEnd
