-- The tamper-evident transaction ledger: an append-only log of market
-- events whose entries are the leaves of an RFC 6962 Merkle tree, with
-- signed tree heads. Appends insert into ledger_entries only (no lock
-- beyond the insert); the sequencer integrates committed entries into the
-- tree (ledger_leaves, ledger_nodes) under an advisory lock and signs heads
-- (ledger_heads). See docs/ledger.md.
--
-- The server's role, shujiao_app, may SELECT and INSERT ledger rows but
-- never UPDATE, DELETE or TRUNCATE them; triggers refuse those too, for
-- every role that has not disabled triggers. Roles are cluster-wide: the
-- role is created once and kept by the Down migration.

-- +goose Up
-- +goose StatementBegin
DO $$
BEGIN
    BEGIN
        CREATE ROLE shujiao_app NOLOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
        NULL; -- another database of this cluster created it
    END;
    -- The migrating role must be able to SET ROLE shujiao_app.
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
       AND NOT pg_has_role(current_user, 'shujiao_app', 'MEMBER') THEN
        EXECUTE format('GRANT shujiao_app TO %I', current_user);
    END IF;
END
$$;
-- +goose StatementEnd

-- The server role works on every table of the schema, now and later, like
-- the migrating role; the ledger tables below take back UPDATE and DELETE.
GRANT USAGE ON SCHEMA public TO shujiao_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO shujiao_app;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO shujiao_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO shujiao_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO shujiao_app;

-- One market event. seq is a cheap identity for a stable order within a
-- transaction; txid is the appending transaction, which the sequencer uses
-- to know when every entry of older transactions is visible.
CREATE TABLE ledger_entries (
    id          uuid PRIMARY KEY,
    seq         bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    txid        xid8 NOT NULL DEFAULT pg_current_xact_id(),
    kind        text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$'),
    party_id    uuid,
    subject_id  uuid,
    payload     jsonb NOT NULL,
    at          timestamptz NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX ledger_entries_txid_idx ON ledger_entries (txid, seq);
CREATE INDEX ledger_entries_subject_idx ON ledger_entries (subject_id, at);
CREATE INDEX ledger_entries_party_idx ON ledger_entries (party_id, at);

-- The tree's leaves in order. horizon: every entry of a transaction older
-- than it was integrated at or before this leaf.
CREATE TABLE ledger_leaves (
    leaf_index    bigint PRIMARY KEY CHECK (leaf_index >= 0),
    entry_id      uuid NOT NULL UNIQUE REFERENCES ledger_entries (id),
    leaf_hash     bytea NOT NULL CHECK (length(leaf_hash) = 32),
    horizon       xid8 NOT NULL,
    integrated_at timestamptz NOT NULL DEFAULT now()
);

-- Roots of the tree's perfect subtrees above the leaves (RFC 6962 node
-- hashes), so that proofs read O(log n) rows.
CREATE TABLE ledger_nodes (
    level smallint NOT NULL CHECK (level BETWEEN 1 AND 63),
    idx   bigint NOT NULL CHECK (idx >= 0),
    hash  bytea NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (level, idx)
);

-- Signed tree heads: the root of the first tree_size leaves, signed
-- (OpenPGP detached, armored) by the platform key over the text of
-- internal/ledger.Head.Message.
CREATE TABLE ledger_heads (
    tree_size       bigint PRIMARY KEY CHECK (tree_size >= 0),
    root_hash       bytea NOT NULL CHECK (length(root_hash) = 32),
    signed_at       timestamptz NOT NULL,
    key_fingerprint text NOT NULL,
    signature       text NOT NULL
);

-- +goose StatementBegin
CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the ledger is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;
-- +goose StatementEnd

CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_leaves_append_only BEFORE UPDATE OR DELETE ON ledger_leaves
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_leaves_no_truncate BEFORE TRUNCATE ON ledger_leaves
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_nodes_append_only BEFORE UPDATE OR DELETE ON ledger_nodes
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_nodes_no_truncate BEFORE TRUNCATE ON ledger_nodes
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_heads_append_only BEFORE UPDATE OR DELETE ON ledger_heads
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_heads_no_truncate BEFORE TRUNCATE ON ledger_heads
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

REVOKE ALL ON ledger_entries, ledger_leaves, ledger_nodes, ledger_heads FROM shujiao_app;
GRANT SELECT, INSERT ON ledger_entries, ledger_leaves, ledger_nodes, ledger_heads TO shujiao_app;

-- +goose Down
DROP TABLE ledger_heads;
DROP TABLE ledger_nodes;
DROP TABLE ledger_leaves;
DROP TABLE ledger_entries;
DROP FUNCTION ledger_refuse_change();
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE USAGE, SELECT, UPDATE ON SEQUENCES FROM shujiao_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM shujiao_app;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM shujiao_app;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM shujiao_app;
REVOKE USAGE ON SCHEMA public FROM shujiao_app;
