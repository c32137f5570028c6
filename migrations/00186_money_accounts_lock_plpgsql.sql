-- money_accounts_lock (migration 00071) in PL/pgSQL instead of SQL (issue
-- 18): a SQL function with a SET clause is never inlined and plans its
-- query on every call, once per posting; PL/pgSQL keeps the plan for the
-- session. Same arguments, result, locks (FOR UPDATE, in id order) and
-- rights (SECURITY DEFINER, the server role may only execute it).

-- +goose Up
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION money_accounts_lock(kinds text[], parties uuid[], orders uuid[])
RETURNS TABLE (id uuid, kind text, party_id uuid, order_id uuid, balance text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT a.id, a.kind, a.party_id, a.order_id, a.balance::text
    FROM money_accounts a
    JOIN unnest(kinds, parties, orders) AS k(kind, party_id, order_id)
      ON a.kind = k.kind AND a.party_id IS NOT DISTINCT FROM k.party_id AND a.order_id IS NOT DISTINCT FROM k.order_id
    ORDER BY a.id
    FOR UPDATE OF a;
END
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION money_accounts_lock(kinds text[], parties uuid[], orders uuid[])
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
