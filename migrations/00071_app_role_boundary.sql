-- A real boundary between the server and the books (issue 17).
--
-- The server logs in as shujiao_app itself, a role that is no superuser and
-- belongs to none, so nothing (RESET ROLE, SET ROLE) takes it back to the
-- owner; migrations keep running as the owner. Balances change only through
-- postings: a line inserted into posting_lines moves its account's balance
-- by a trigger running as the owner (SECURITY DEFINER), and the server role
-- may no longer UPDATE a balance. An order's parties and figures are fixed
-- when it is placed: the server role may update only its state columns.
-- Roles are cluster-wide: the Down migration keeps the role's LOGIN.

-- +goose Up
-- +goose StatementBegin
DO $$
BEGIN
    ALTER ROLE shujiao_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'shujiao_app: the migrating role may not give it LOGIN; ask the database administrator to run ALTER ROLE shujiao_app LOGIN';
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION posting_line_apply() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    UPDATE money_accounts
       SET balance = balance + CASE WHEN NEW.side = normal_side THEN NEW.amount ELSE -NEW.amount END
     WHERE id = NEW.account_id;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
REVOKE ALL ON FUNCTION posting_line_apply() FROM PUBLIC;

CREATE TRIGGER posting_lines_apply AFTER INSERT ON posting_lines
    FOR EACH ROW EXECUTE FUNCTION posting_line_apply();

-- A posting locks the accounts it moves (FOR UPDATE, in id order), which
-- takes UPDATE rights the server role no longer has: this function, run as
-- the owner, takes the locks for the caller's transaction.
-- +goose StatementBegin
CREATE FUNCTION money_accounts_lock(kinds text[], parties uuid[], orders uuid[])
RETURNS TABLE (id uuid, kind text, party_id uuid, order_id uuid, balance text)
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT a.id, a.kind, a.party_id, a.order_id, a.balance::text
    FROM money_accounts a
    JOIN unnest(kinds, parties, orders) AS k(kind, party_id, order_id)
      ON a.kind = k.kind AND a.party_id IS NOT DISTINCT FROM k.party_id AND a.order_id IS NOT DISTINCT FROM k.order_id
    ORDER BY a.id
    FOR UPDATE OF a
$$;
-- +goose StatementEnd
REVOKE ALL ON FUNCTION money_accounts_lock(text[], uuid[], uuid[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION money_accounts_lock(text[], uuid[], uuid[]) TO shujiao_app;

REVOKE UPDATE, DELETE, TRUNCATE ON money_accounts FROM shujiao_app;
REVOKE UPDATE (balance) ON money_accounts FROM shujiao_app;
REVOKE INSERT ON money_accounts FROM shujiao_app;
GRANT INSERT (id, kind, party_id, order_id, normal_side, currency, created_at) ON money_accounts TO shujiao_app;

REVOKE UPDATE, DELETE, TRUNCATE ON orders, quotes, price_plans FROM shujiao_app;
GRANT UPDATE (state, delivered_at, settled_at, settled_by, cancelled_at, disputed_at, refunded_at, dispute_reason, updated_at)
    ON orders TO shujiao_app;

-- +goose Down
REVOKE UPDATE (state, delivered_at, settled_at, settled_by, cancelled_at, disputed_at, refunded_at, dispute_reason, updated_at)
    ON orders FROM shujiao_app;
GRANT UPDATE, DELETE ON orders, quotes, price_plans TO shujiao_app;
REVOKE INSERT (id, kind, party_id, order_id, normal_side, currency, created_at) ON money_accounts FROM shujiao_app;
GRANT INSERT, UPDATE (balance) ON money_accounts TO shujiao_app;
DROP FUNCTION money_accounts_lock(text[], uuid[], uuid[]);
DROP TRIGGER posting_lines_apply ON posting_lines;
DROP FUNCTION posting_line_apply();
