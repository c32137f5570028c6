-- River runs Shujiao's background work (issue 18): its tables come from
-- migration 00150, which calls River's own migrator (rivermigrate) up to
-- River schema version 8 (River v0.51.2). The server role shujiao_app
-- works River's queue: it inserts, fetches, completes and cleans jobs,
-- elects the leader and keeps the queue list. It may not touch River's
-- migration record, which is the migrating role's alone, as goose's is
-- (00023). River's periodic reindexer is switched off in the client: a
-- REINDEX needs the table's owner.

-- +goose Up
GRANT SELECT, INSERT, UPDATE, DELETE ON river_job, river_leader, river_queue, river_notification TO shujiao_app;
GRANT USAGE, SELECT ON SEQUENCE river_job_id_seq, river_notification_id_seq TO shujiao_app;
REVOKE ALL ON river_migration FROM shujiao_app;
GRANT SELECT ON river_migration TO shujiao_app;

-- +goose Down
REVOKE ALL ON river_job, river_leader, river_queue, river_notification, river_migration FROM shujiao_app;
REVOKE ALL ON SEQUENCE river_job_id_seq, river_notification_id_seq FROM shujiao_app;
