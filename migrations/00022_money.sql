-- Money, double-entry: accounts for buyer funds and seller receivables
-- (per party), escrow (per order), the platform fee and the simulated bank
-- clearing account that deposits come from. Postings are insert-only; each
-- one's lines balance (debits = credits), checked by a deferred constraint
-- trigger at commit, and no account balance is ever negative (a CHECK; the
-- writer locks the accounts it touches with SELECT … FOR UPDATE in id
-- order). Every posting appends a money.<kind> ledger event in the same
-- transaction (ledger_entry_id).

-- +goose Up
CREATE TABLE money_accounts (
    id          uuid PRIMARY KEY,
    kind        text NOT NULL CHECK (kind IN ('buyer_funds', 'seller_receivable', 'escrow', 'platform_fee', 'bank_clearing')),
    party_id    uuid REFERENCES parties (id),
    order_id    uuid,
    -- the side on which a line increases the balance: debit for the bank
    -- clearing account (an asset), credit for the others (owed to someone)
    normal_side text NOT NULL CHECK (normal_side IN ('debit', 'credit')),
    balance     numeric(20, 2) NOT NULL DEFAULT 0 CHECK (balance >= 0),
    currency    text NOT NULL DEFAULT 'CNY' CHECK (currency = 'CNY'),
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE NULLS NOT DISTINCT (kind, party_id, order_id),
    CHECK (CASE kind
        WHEN 'buyer_funds' THEN party_id IS NOT NULL AND order_id IS NULL
        WHEN 'seller_receivable' THEN party_id IS NOT NULL AND order_id IS NULL
        WHEN 'escrow' THEN party_id IS NULL AND order_id IS NOT NULL
        ELSE party_id IS NULL AND order_id IS NULL END),
    CHECK (normal_side = CASE kind WHEN 'bank_clearing' THEN 'debit' ELSE 'credit' END)
);
CREATE INDEX money_accounts_party_idx ON money_accounts (party_id) WHERE party_id IS NOT NULL;

CREATE TABLE postings (
    id              uuid PRIMARY KEY,
    kind            text NOT NULL CHECK (kind IN ('deposit', 'payment', 'settlement', 'refund')),
    idempotency_key text UNIQUE,
    party_id        uuid,
    order_id        uuid,
    -- deposits: the reference of the SIMULATED bank transfer
    reference       text,
    memo            text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL,
    ledger_entry_id uuid NOT NULL REFERENCES ledger_entries (id)
);
CREATE INDEX postings_order_idx ON postings (order_id) WHERE order_id IS NOT NULL;
CREATE INDEX postings_party_idx ON postings (party_id, created_at);

CREATE TABLE posting_lines (
    posting_id uuid NOT NULL REFERENCES postings (id),
    line_no    smallint NOT NULL CHECK (line_no >= 0),
    account_id uuid NOT NULL REFERENCES money_accounts (id),
    side       text NOT NULL CHECK (side IN ('debit', 'credit')),
    amount     numeric(20, 2) NOT NULL CHECK (amount > 0),
    PRIMARY KEY (posting_id, line_no)
);
CREATE INDEX posting_lines_account_idx ON posting_lines (account_id);

-- +goose StatementBegin
CREATE FUNCTION posting_must_balance() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    pid uuid;
    debits numeric;
    credits numeric;
BEGIN
    IF TG_TABLE_NAME = 'postings' THEN
        pid := NEW.id;
    ELSE
        pid := NEW.posting_id;
    END IF;
    SELECT coalesce(sum(amount) FILTER (WHERE side = 'debit'), 0),
           coalesce(sum(amount) FILTER (WHERE side = 'credit'), 0)
      INTO debits, credits
      FROM posting_lines WHERE posting_id = pid;
    IF debits <> credits OR debits = 0 THEN
        RAISE EXCEPTION 'posting % does not balance: debits % <> credits %', pid, debits, credits
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE CONSTRAINT TRIGGER postings_balance AFTER INSERT ON postings
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION posting_must_balance();
CREATE CONSTRAINT TRIGGER posting_lines_balance AFTER INSERT ON posting_lines
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION posting_must_balance();

CREATE TRIGGER postings_append_only BEFORE UPDATE OR DELETE ON postings
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER posting_lines_append_only BEFORE UPDATE OR DELETE ON posting_lines
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();

REVOKE ALL ON postings, posting_lines, money_accounts FROM shujiao_app;
GRANT SELECT, INSERT ON postings, posting_lines TO shujiao_app;
GRANT SELECT, INSERT, UPDATE (balance) ON money_accounts TO shujiao_app;

-- +goose Down
DROP TABLE posting_lines;
DROP TABLE postings;
DROP TABLE money_accounts;
DROP FUNCTION posting_must_balance();
