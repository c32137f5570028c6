package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/market"
)

const postingColumns = `p.id, p.kind, coalesce(p.idempotency_key, ''), p.party_id, p.order_id,
       coalesce(p.reference, ''), p.memo, p.created_at, p.ledger_entry_id`

const selectPostingLines = `
SELECT l.posting_id, a.kind, a.party_id, a.order_id, l.side, l.amount::text
FROM posting_lines l JOIN money_accounts a ON a.id = l.account_id
WHERE l.posting_id = ANY($1) ORDER BY l.posting_id, l.line_no`

// postingByKey returns the posting recorded under an idempotency key.
func postingByKey(ctx context.Context, db DB, key string) (market.Posting, bool, error) {
	ps, err := queryPostings(ctx, db, `SELECT `+postingColumns+` FROM postings p WHERE p.idempotency_key = $1`, key)
	if err != nil {
		return market.Posting{}, false, fmt.Errorf("posting %q: %w", key, err)
	}
	if len(ps) == 0 {
		return market.Posting{}, false, nil
	}
	return ps[0], true, nil
}

// PostingsOfOrder returns the postings of an order (payment, settlement,
// refund), oldest first.
func PostingsOfOrder(ctx context.Context, db DB, order uuid.UUID) ([]market.Posting, error) {
	ps, err := queryPostings(ctx, db, `SELECT `+postingColumns+` FROM postings p WHERE p.order_id = $1
ORDER BY p.created_at, p.id`, order)
	if err != nil {
		return nil, fmt.Errorf("postings of order %s: %w", order, err)
	}
	return ps, nil
}

func queryPostings(ctx context.Context, db DB, sql string, args ...any) ([]market.Posting, error) {
	rows, err := db.Query(ctx, sql, args...)
	if err != nil {
		return nil, translate(err)
	}
	ps, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (market.Posting, error) {
		var p market.Posting
		var party, order *uuid.UUID
		err := r.Scan(&p.ID, &p.Kind, &p.IdempotencyKey, &party, &order, &p.Reference, &p.Memo, &p.CreatedAt, &p.LedgerEntryID)
		p.PartyID, p.OrderID, p.CreatedAt = deref(party), deref(order), p.CreatedAt.UTC()
		return p, err
	})
	if err != nil || len(ps) == 0 {
		return ps, translate(err)
	}
	ids := make([]uuid.UUID, len(ps))
	byID := map[uuid.UUID]*market.Posting{}
	for i := range ps {
		ids[i], byID[ps[i].ID] = ps[i].ID, &ps[i]
	}
	lrows, err := db.Query(ctx, selectPostingLines, ids)
	if err != nil {
		return nil, translate(err)
	}
	defer lrows.Close()
	for lrows.Next() {
		var pid uuid.UUID
		var l market.PostingLine
		var party, order *uuid.UUID
		var amount string
		if err := lrows.Scan(&pid, &l.Account.Kind, &party, &order, &l.Side, &amount); err != nil {
			return nil, translate(err)
		}
		l.Account.PartyID, l.Account.OrderID = deref(party), deref(order)
		if l.Amount, err = market.ParseMoney(amount); err != nil {
			return nil, err
		}
		byID[pid].Lines = append(byID[pid].Lines, l)
	}
	return ps, translate(lrows.Err())
}

// samePosting reports whether b asks for the same movement as the recorded a.
func samePosting(a, b market.Posting) bool {
	if a.Kind != b.Kind || a.PartyID != b.PartyID || a.OrderID != b.OrderID || len(a.Lines) != len(b.Lines) {
		return false
	}
	for i := range a.Lines {
		x, y := a.Lines[i], b.Lines[i]
		if x.Account != y.Account || x.Side != y.Side || x.Amount.Cmp(y.Amount) != 0 {
			return false
		}
	}
	return true
}

func deref(id *uuid.UUID) uuid.UUID {
	if id == nil {
		return uuid.Nil
	}
	return *id
}

const accountColumns = `a.id, a.kind, a.party_id, a.order_id, a.balance::text`

// PartyAccounts returns the money accounts of a party (buyer funds, seller
// receivable) that exist, by kind.
func PartyAccounts(ctx context.Context, db DB, party uuid.UUID) ([]market.Account, error) {
	rows, err := db.Query(ctx, `SELECT `+accountColumns+`, a.created_at FROM money_accounts a
WHERE a.party_id = $1 ORDER BY a.kind`, party)
	if err != nil {
		return nil, fmt.Errorf("accounts of party %s: %w", party, translate(err))
	}
	accounts, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (market.Account, error) {
		var a market.Account
		var party, order *uuid.UUID
		var balance string
		if err := r.Scan(&a.ID, &a.Kind, &party, &order, &balance, &a.CreatedAt); err != nil {
			return a, err
		}
		a.PartyID, a.OrderID, a.Currency, a.CreatedAt = deref(party), deref(order), "CNY", a.CreatedAt.UTC()
		b, err := parseStoredMoney(balance)
		a.Balance = b
		return a, err
	})
	if err != nil {
		return nil, fmt.Errorf("accounts of party %s: %w", party, translate(err))
	}
	return accounts, nil
}

// selectAccountByKey selects the account of kind $1, party $2 and order $3,
// by whether the party and the order are none: `IS NOT DISTINCT FROM`, which
// no index serves, read every account (one per order placed); `IS NULL` and
// `=` are answered by the unique index (kind, party_id, order_id).
var selectAccountByKey = map[[2]bool]string{
	{false, false}: `SELECT ` + accountColumns + ` FROM money_accounts a WHERE a.kind = $1 AND a.party_id = $2 AND a.order_id = $3`,
	{false, true}:  `SELECT ` + accountColumns + ` FROM money_accounts a WHERE a.kind = $1 AND a.party_id = $2 AND a.order_id IS NULL AND $3::uuid IS NULL`,
	{true, false}:  `SELECT ` + accountColumns + ` FROM money_accounts a WHERE a.kind = $1 AND a.party_id IS NULL AND $2::uuid IS NULL AND a.order_id = $3`,
	{true, true}:   `SELECT ` + accountColumns + ` FROM money_accounts a WHERE a.kind = $1 AND a.party_id IS NULL AND a.order_id IS NULL AND $2::uuid IS NULL AND $3::uuid IS NULL`,
}

// Balance returns the balance of the account named by key (¥0 when it has
// never been used).
func Balance(ctx context.Context, db DB, key market.AccountKey) (market.Money, error) {
	q := selectAccountByKey[[2]bool{key.PartyID == uuid.Nil, key.OrderID == uuid.Nil}]
	a, err := scanAccountRow(db.QueryRow(ctx, q, key.Kind, uuidOrNull(key.PartyID), uuidOrNull(key.OrderID)))
	if errors.Is(err, pgx.ErrNoRows) {
		return market.Money{}, nil
	}
	if err != nil {
		return market.Money{}, fmt.Errorf("balance of %s: %w", key, translate(err))
	}
	return a.Balance, nil
}
