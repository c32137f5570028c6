package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/shopspring/decimal"
	"github.com/shujiao/shujiao/market"
)

// openLockAccounts opens the accounts named by the keys that do not exist
// yet ($1 and $5 are the new accounts' IDs and normal sides) and locks them
// all, in id order (a stable order, so that two postings never wait for each
// other in a cycle), through the owner's function (migration 00200): the
// server role may not UPDATE accounts, and each key is found by index.
const openLockAccounts = `SELECT id, kind, party_id, order_id, balance FROM money_accounts_open_lock($1::uuid[], $2::text[], $3::uuid[], $4::uuid[], $5::text[])`

// insertPosting inserts a posting ($1–$9) and its lines ($10–$13: line
// numbers, accounts, sides, amounts) in one statement: the lines' statement
// trigger (migration 00201) then moves the balances and checks that the
// posting balances, and the lines' foreign key finds the posting inserted
// by the same statement.
const insertPosting = `
WITH p AS (
  INSERT INTO postings (id, kind, idempotency_key, party_id, order_id, reference, memo, created_at, ledger_entry_id)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
  RETURNING id)
INSERT INTO posting_lines (posting_id, line_no, account_id, side, amount)
SELECT p.id, t.n, t.a, t.s, t.m::numeric FROM p, unnest($10::smallint[], $11::uuid[], $12::text[], $13::text[]) AS t(n, a, s, m)`

// Transfer records posting p inside the caller's transaction tx: it
// creates the accounts it names on first use, locks them (SELECT … FOR
// UPDATE, in id order), refuses to take any balance below zero, inserts the
// posting and its lines in one statement (the database checks debits =
// credits and moves the balances) and appends a money.<kind>
// ledger event, all in tx. It fills p.ID, p.CreatedAt and p.LedgerEntryID.
//
// With p.IdempotencyKey set, a posting already recorded under that key is
// returned in *p with replayed true and nothing moves; a different posting
// under the same key is an ErrConflict. It returns an ErrInvalid
// *market.Error for an invalid posting, an ErrInsufficientFunds
// *market.Error naming the account that would go negative, or the wrapped
// database error. Safe for concurrent use on distinct transactions.
func Transfer(ctx context.Context, tx pgx.Tx, p *market.Posting) (replayed bool, err error) {
	if err := p.Validate(); err != nil {
		return false, fmt.Errorf("%s posting: %w", p.Kind, err)
	}
	if p.IdempotencyKey != "" {
		// Concurrent postings under one key take turns, so that the later
		// one finds the earlier instead of failing on the unique key.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, p.IdempotencyKey); err != nil {
			return false, fmt.Errorf("%s posting: %w", p.Kind, err)
		}
		prev, found, err := postingByKey(ctx, tx, p.IdempotencyKey)
		if err != nil {
			return false, err
		}
		if found {
			if !samePosting(prev, *p) {
				return false, fmt.Errorf("%s posting: %w", p.Kind, market.Errorf(market.ErrConflict, "idempotency_key_reused",
					"%q already recorded a different %s posting", p.IdempotencyKey, prev.Kind))
			}
			*p = prev
			return true, nil
		}
	}
	if err := transfer(ctx, tx, p); err != nil {
		return false, fmt.Errorf("%s posting: %w", p.Kind, err)
	}
	return false, nil
}

// transferFresh books posting p as Transfer does, without looking for an
// earlier posting under its key: for a posting whose key names something
// created in this very transaction (the payment of an order being placed),
// which no posting can hold yet. The key is still stored, and its unique
// index refuses a second posting under it (ErrConflict).
func transferFresh(ctx context.Context, tx pgx.Tx, p *market.Posting) error {
	if err := p.Validate(); err != nil {
		return fmt.Errorf("%s posting: %w", p.Kind, err)
	}
	if err := transfer(ctx, tx, p); err != nil {
		return fmt.Errorf("%s posting: %w", p.Kind, err)
	}
	return nil
}

func transfer(ctx context.Context, tx pgx.Tx, p *market.Posting) error {
	keys := distinctKeys(p.Lines)
	accounts, err := lockKeys(ctx, tx, keys)
	if err != nil {
		return err
	}
	balances := map[market.AccountKey]market.Money{}
	for _, k := range keys {
		balances[k] = accounts[k].Balance
	}
	for _, l := range p.Lines {
		delta := l.Amount
		if l.Side != l.Account.Kind.NormalSide() {
			delta = delta.Neg()
		}
		balances[l.Account] = balances[l.Account].Add(delta)
	}
	for _, k := range keys {
		if err := market.CheckBalance(k, balances[k]); err != nil {
			return err
		}
		if balances[k].IsNegative() {
			return &market.Error{Kind: market.ErrInsufficientFunds, Code: "insufficient_funds", Field: "amount",
				Message: fmt.Sprintf("the %s account holds %s yuan, less than the %s yuan this %s needs",
					k.Kind, accounts[k].Balance, accounts[k].Balance.Sub(balances[k]), p.Kind)}
		}
	}
	p.ID, p.CreatedAt = market.NewID(), time.Now().UTC().Truncate(time.Microsecond)
	if err := appendPostingEvent(ctx, tx, p, accounts); err != nil {
		return err
	}
	n := make([]int16, len(p.Lines))
	ids := make([]uuid.UUID, len(p.Lines))
	sides := make([]string, len(p.Lines))
	amounts := make([]string, len(p.Lines))
	for i, l := range p.Lines {
		n[i], ids[i], sides[i], amounts[i] = int16(i), accounts[l.Account].ID, string(l.Side), l.Amount.Decimal().String()
	}
	_, err = tx.Exec(ctx, insertPosting, p.ID, p.Kind, stringOrNull(p.IdempotencyKey), uuidOrNull(p.PartyID),
		uuidOrNull(p.OrderID), stringOrNull(p.Reference), p.Memo, p.CreatedAt, p.LedgerEntryID, n, ids, sides, amounts)
	if err != nil {
		return translateMoney(err)
	}
	// The lines' statement trigger (migration 00201) moved the balances and
	// checked that the posting balances; the server role may not UPDATE
	// balances itself.
	return nil
}

// distinctKeys returns the accounts the lines touch, each once, in line order.
func distinctKeys(lines []market.PostingLine) []market.AccountKey {
	var keys []market.AccountKey
	for _, l := range lines {
		if !slices.Contains(keys, l.Account) {
			keys = append(keys, l.Account)
		}
	}
	return keys
}

// lockKeys opens missing accounts and locks all of keys in id order, in
// one statement.
func lockKeys(ctx context.Context, tx pgx.Tx, keys []market.AccountKey) (map[market.AccountKey]market.Account, error) {
	ids := make([]uuid.UUID, len(keys))
	kinds := make([]string, len(keys))
	parties := make([]*uuid.UUID, len(keys))
	orders := make([]*uuid.UUID, len(keys))
	sides := make([]string, len(keys))
	for i, k := range keys {
		ids[i], kinds[i], parties[i], orders[i], sides[i] = market.NewID(), string(k.Kind), uuidOrNull(k.PartyID), uuidOrNull(k.OrderID), string(k.Kind.NormalSide())
	}
	rows, err := tx.Query(ctx, openLockAccounts, ids, kinds, parties, orders, sides)
	if err != nil {
		return nil, fmt.Errorf("lock accounts: %w", translate(err))
	}
	accounts := map[market.AccountKey]market.Account{}
	for rows.Next() {
		a, err := scanAccountRow(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("lock accounts: %w", err)
		}
		accounts[a.AccountKey] = a
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("lock accounts: %w", translate(err))
	}
	if len(accounts) != len(keys) {
		return nil, fmt.Errorf("lock accounts: found %d of %d", len(accounts), len(keys))
	}
	return accounts, nil
}

// scanAccountRow scans id, kind, party_id, order_id, balance::text.
func scanAccountRow(row pgx.Row) (market.Account, error) {
	var a market.Account
	var party, order *uuid.UUID
	var balance string
	if err := row.Scan(&a.ID, &a.Kind, &party, &order, &balance); err != nil {
		return market.Account{}, err
	}
	if party != nil {
		a.PartyID = *party
	}
	if order != nil {
		a.OrderID = *order
	}
	b, err := parseStoredMoney(balance)
	if err != nil {
		return market.Account{}, fmt.Errorf("account %s balance: %w", a.ID, err)
	}
	a.Balance, a.Currency = b, "CNY"
	return a, nil
}

// translateMoney maps a check violation (a negative balance or an
// unbalanced posting caught by the database) to ErrInsufficientFunds or
// ErrInvalid, and other driver errors as translate does.
func translateMoney(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == checkViolation && pe.ConstraintName == "money_accounts_balance_check" {
		return fmt.Errorf("%w: %w", market.ErrInsufficientFunds, err)
	}
	return translate(err)
}

// postingEvent is the payload of a money.<kind> ledger event.
type postingEvent struct {
	PostingID uuid.UUID          `json:"posting_id"`
	Kind      market.PostingKind `json:"kind"`
	OrderID   uuid.UUID          `json:"order_id,omitzero"`
	Reference string             `json:"reference,omitempty"`
	Total     market.Money       `json:"total"`
	Lines     []postingEventLine `json:"lines"`
}

type postingEventLine struct {
	AccountID uuid.UUID `json:"account_id"`
	market.PostingLine
}

func appendPostingEvent(ctx context.Context, tx pgx.Tx, p *market.Posting, accounts map[market.AccountKey]market.Account) error {
	ev := postingEvent{PostingID: p.ID, Kind: p.Kind, OrderID: p.OrderID, Reference: p.Reference, Total: p.Total()}
	for _, l := range p.Lines {
		ev.Lines = append(ev.Lines, postingEventLine{AccountID: accounts[l.Account].ID, PostingLine: l})
	}
	payload, err := json.Marshal(ev)
	if err != nil {
		return fmt.Errorf("encode ledger event: %w", err)
	}
	subject := p.OrderID
	if subject == uuid.Nil {
		subject = p.ID
	}
	id, err := AppendLedger(ctx, tx, market.LedgerEvent{
		Kind: "money." + string(p.Kind), PartyID: market.PartyID(p.PartyID), SubjectID: subject, Payload: payload, At: p.CreatedAt,
	})
	if err != nil {
		return err
	}
	p.LedgerEntryID = id
	return nil
}

// parseStoredMoney reads a numeric the books stored (a balance may exceed
// market.MaxAmount, the bound on what callers send, up to MaxBalance).
func parseStoredMoney(s string) (market.Money, error) {
	d, err := decimal.NewFromString(s)
	if err != nil {
		return market.Money{}, fmt.Errorf("stored amount %q: %w", s, err)
	}
	return market.NewMoney(d), nil
}
