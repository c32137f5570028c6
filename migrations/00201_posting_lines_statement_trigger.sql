-- The lines of a posting move the balances and are checked once per
-- statement, not once per line (issue 18).
--
-- Before: each line fired two row triggers — posting_lines_apply (00071)
-- updated its account, posting_lines_balance (00022, deferred) summed its
-- posting's lines again at commit — so a two-line payment ran two UPDATEs
-- and, with postings_balance, three balance sums. Now one statement-level
-- trigger with the statement's new lines (a transition table) updates each
-- account touched once, by the net amount (by primary key), and checks every posting the
-- statement added lines to: its lines (all of them, earlier ones included)
-- must balance, debits = credits > 0. postings_balance (deferred, one per
-- posting) still checks at commit that every posting inserted has lines
-- that balance.
--
-- The check is no longer deferred: the lines of a posting go in one
-- statement (Transfer does), and a statement that leaves any posting
-- unbalanced is refused then (check_violation), as a line added later to
-- an old posting always was at commit. The balances cannot go below zero
-- (money_accounts' CHECK), now on each account's net change per statement.

-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION posting_lines_settle() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    bad record;
    d record;
BEGIN
    -- One UPDATE per account, by its primary key: a join of the transition
    -- table (whose size the planner does not know) with money_accounts may
    -- be planned as a scan of every account.
    FOR d IN SELECT n.account_id, sum(CASE WHEN n.side = 'debit' THEN n.amount ELSE -n.amount END) AS net
               FROM new_lines n GROUP BY n.account_id ORDER BY n.account_id LOOP
        CONTINUE WHEN d.net = 0;
        UPDATE money_accounts a
           SET balance = a.balance + CASE WHEN a.normal_side = 'debit' THEN d.net ELSE -d.net END
         WHERE a.id = d.account_id;
    END LOOP;
    SELECT s.posting_id, s.debits, s.credits INTO bad
      FROM (SELECT DISTINCT n.posting_id FROM new_lines n) p,
           LATERAL (SELECT p.posting_id,
                           coalesce(sum(l.amount) FILTER (WHERE l.side = 'debit'), 0) AS debits,
                           coalesce(sum(l.amount) FILTER (WHERE l.side = 'credit'), 0) AS credits
                      FROM posting_lines l WHERE l.posting_id = p.posting_id) s
     WHERE s.debits <> s.credits OR s.debits = 0
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'posting % does not balance: debits % <> credits %', bad.posting_id, bad.debits, bad.credits
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
REVOKE ALL ON FUNCTION posting_lines_settle() FROM PUBLIC;

DROP TRIGGER posting_lines_apply ON posting_lines;
DROP TRIGGER posting_lines_balance ON posting_lines;
CREATE TRIGGER posting_lines_settle AFTER INSERT ON posting_lines
    REFERENCING NEW TABLE AS new_lines
    FOR EACH STATEMENT EXECUTE FUNCTION posting_lines_settle();

-- +goose Down
DROP TRIGGER posting_lines_settle ON posting_lines;
DROP FUNCTION posting_lines_settle();
CREATE TRIGGER posting_lines_apply AFTER INSERT ON posting_lines
    FOR EACH ROW EXECUTE FUNCTION posting_line_apply();
CREATE CONSTRAINT TRIGGER posting_lines_balance AFTER INSERT ON posting_lines
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION posting_must_balance();
