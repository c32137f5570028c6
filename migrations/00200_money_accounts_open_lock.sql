-- Opening and locking a posting's accounts by index, in one call (issue 18).
--
-- money_accounts_lock (00071, 00186) joined the keys to money_accounts on
-- `party_id IS NOT DISTINCT FROM …`, which no index serves: every posting
-- read every account (a sequential scan, one escrow account per order, so
-- the cost of an order grew with the number of orders ever placed). The
-- unique index (kind, party_id, order_id) NULLS NOT DISTINCT answers
-- `party_id = x` and `party_id IS NULL` alike, so each key is looked up by
-- the branch of its NULLs, and the rows found are then locked FOR UPDATE by
-- primary key in id order as before (two postings never wait for each other
-- in a cycle).
--
-- money_accounts_open_lock also opens the accounts that do not exist yet
-- (what the server's INSERT … ON CONFLICT DO NOTHING did, one statement
-- earlier): ids and sides are the new accounts' IDs and normal sides. An
-- account a concurrent transaction opens first is found after its insert
-- conflicts (READ COMMITTED: the next statement sees it committed). Same
-- rights as money_accounts_lock: SECURITY DEFINER, the server role may only
-- execute it.

-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION money_account_find(k text, p uuid, o uuid) RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE
    account uuid;
BEGIN
    IF p IS NULL AND o IS NULL THEN
        SELECT a.id INTO account FROM money_accounts a WHERE a.kind = k AND a.party_id IS NULL AND a.order_id IS NULL;
    ELSIF o IS NULL THEN
        SELECT a.id INTO account FROM money_accounts a WHERE a.kind = k AND a.party_id = p AND a.order_id IS NULL;
    ELSIF p IS NULL THEN
        SELECT a.id INTO account FROM money_accounts a WHERE a.kind = k AND a.party_id IS NULL AND a.order_id = o;
    ELSE
        SELECT a.id INTO account FROM money_accounts a WHERE a.kind = k AND a.party_id = p AND a.order_id = o;
    END IF;
    RETURN account;
END
$$;
-- +goose StatementEnd
REVOKE ALL ON FUNCTION money_account_find(text, uuid, uuid) FROM PUBLIC;

-- +goose StatementBegin
CREATE FUNCTION money_accounts_open_lock(ids uuid[], kinds text[], parties uuid[], orders uuid[], sides text[])
RETURNS TABLE (id uuid, kind text, party_id uuid, order_id uuid, balance text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
DECLARE
    ids_found uuid[] := '{}';
    x uuid;
BEGIN
    FOR i IN 1 .. coalesce(cardinality(kinds), 0) LOOP
        x := money_account_find(kinds[i], parties[i], orders[i]);
        IF x IS NULL AND ids IS NOT NULL THEN
            INSERT INTO money_accounts AS a (id, kind, party_id, order_id, normal_side)
            VALUES (ids[i], kinds[i], parties[i], orders[i], sides[i])
            ON CONFLICT (kind, party_id, order_id) DO NOTHING
            RETURNING a.id INTO x;
            IF x IS NULL THEN
                x := money_account_find(kinds[i], parties[i], orders[i]);
            END IF;
        END IF;
        IF x IS NOT NULL THEN
            ids_found := ids_found || x;
        END IF;
    END LOOP;
    -- Locked one by one by primary key, in id order: `id = ANY (…)` over
    -- a few hundred accounts is planned as a sequential scan.
    FOR x IN SELECT f FROM unnest(ids_found) AS f ORDER BY f LOOP
        RETURN QUERY
        SELECT a.id, a.kind, a.party_id, a.order_id, a.balance::text
        FROM money_accounts a WHERE a.id = x
        FOR UPDATE OF a;
    END LOOP;
END
$$;
-- +goose StatementEnd
REVOKE ALL ON FUNCTION money_accounts_open_lock(uuid[], text[], uuid[], uuid[], text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION money_accounts_open_lock(uuid[], text[], uuid[], uuid[], text[]) TO shujiao_app;

-- money_accounts_lock keeps its arguments and result (locks existing
-- accounts only), through the same lookups.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION money_accounts_lock(kinds text[], parties uuid[], orders uuid[])
RETURNS TABLE (id uuid, kind text, party_id uuid, order_id uuid, balance text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    RETURN QUERY SELECT * FROM money_accounts_open_lock(NULL, kinds, parties, orders, NULL);
END
$$;
-- +goose StatementEnd

-- +goose Down
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
DROP FUNCTION money_accounts_open_lock(uuid[], text[], uuid[], uuid[], text[]);
DROP FUNCTION money_account_find(text, uuid, uuid);
