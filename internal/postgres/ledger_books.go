package postgres

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/shujiao/shujiao/internal/ledger"
)

// ledgerBalances recomputes every money account's balance from the lines of
// the money.* ledger entries (each line names its account's id and kind; a
// line on the account's normal side adds, the other subtracts) and returns
// the accounts whose stored balance differs, or that have postings but no
// row. An amount that is not a plain decimal counts as nothing (the entry's
// own hash check reports the tampering).
const ledgerBalances = `
WITH lines AS (
    SELECT (l->>'account_id')::uuid AS account_id,
           CASE WHEN l->>'amount' !~ '^[0-9]{1,20}(\.[0-9]{1,4})?$' THEN 0
                WHEN l->>'side' = CASE WHEN l->'account'->>'kind' = 'bank_clearing' THEN 'debit' ELSE 'credit' END
                THEN (l->>'amount')::numeric ELSE -(l->>'amount')::numeric END AS delta
    FROM ledger_entries e CROSS JOIN LATERAL jsonb_array_elements(
        CASE WHEN jsonb_typeof(e.payload->'lines') = 'array' THEN e.payload->'lines' ELSE '[]'::jsonb END) AS l
    WHERE e.kind LIKE 'money.%'
      AND l->>'account_id' ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'),
sums AS (SELECT account_id, sum(delta) AS balance FROM lines GROUP BY account_id)
SELECT coalesce(a.id, s.account_id), coalesce(a.kind, ''), a.balance IS NOT NULL,
       coalesce(a.balance, 0)::text, coalesce(s.balance, 0)::text
FROM money_accounts a FULL JOIN sums s ON s.account_id = a.id
WHERE a.balance IS DISTINCT FROM coalesce(s.balance, 0)
ORDER BY 1
LIMIT 1000`

// ledgerOrders pairs every order with the facts its order.created entry
// recorded and the total its money.payment entry moved.
const ledgerOrders = `
SELECT o.id, o.unit_price::text, o.quantity::text, o.amount::text,
       c.payload->>'unit_price', c.payload->>'quantity', c.payload->>'amount',
       (SELECT p.payload->>'total' FROM ledger_entries p
         WHERE p.kind = 'money.payment' AND p.subject_id = o.id ORDER BY p.seq LIMIT 1)
FROM orders o
LEFT JOIN LATERAL (SELECT payload FROM ledger_entries
                    WHERE kind = 'order.created' AND subject_id = o.id ORDER BY seq LIMIT 1) c ON true
ORDER BY o.id`

// VerifyBooks recomputes the books from the ledger's entries and compares
// them with the tables: every money account's balance with the sum of its
// postings, every order's unit price, quantity and amount with its
// order.created entry, and its amount with the total of its payment. Each
// difference is a ledger.Problem naming the account or order. Check the
// entries themselves with VerifyLedger: the books are only as good as they
// are. It returns the wrapped database error.
func VerifyBooks(ctx context.Context, db DB) ([]ledger.Problem, error) {
	var problems []ledger.Problem
	rows, err := db.Query(ctx, ledgerBalances)
	if err != nil {
		return nil, fmt.Errorf("recompute balances: %w", err)
	}
	for rows.Next() {
		var id uuid.UUID
		var kind, stored, posted string
		var hasRow bool
		if err := rows.Scan(&id, &kind, &hasRow, &stored, &posted); err != nil {
			rows.Close()
			return nil, fmt.Errorf("recompute balances: %w", err)
		}
		msg := fmt.Sprintf("account %s (%s) holds %s yuan, but its postings in the ledger sum to %s", id, kind, stored, posted)
		if !hasRow {
			msg = fmt.Sprintf("account %s has postings in the ledger summing to %s yuan, but no row: it was deleted", id, posted)
		}
		problems = append(problems, ledger.Problem{Kind: ledger.ProblemBalance, LeafIndex: -1, EntryID: id, Message: msg})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("recompute balances: %w", err)
	}
	rows, err = db.Query(ctx, ledgerOrders)
	if err != nil {
		return nil, fmt.Errorf("recompute orders: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id uuid.UUID
		var price, qty, amount string
		var lPrice, lQty, lAmount, paid *string
		if err := rows.Scan(&id, &price, &qty, &amount, &lPrice, &lQty, &lAmount, &paid); err != nil {
			return nil, fmt.Errorf("recompute orders: %w", err)
		}
		problems = append(problems, orderProblems(id, price, qty, amount, lPrice, lQty, lAmount, paid)...)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("recompute orders: %w", err)
	}
	return problems, nil
}

// orderProblems compares one order's stored figures with the ledger's.
func orderProblems(id uuid.UUID, price, qty, amount string, lPrice, lQty, lAmount, paid *string) []ledger.Problem {
	bad := func(format string, args ...any) ledger.Problem {
		return ledger.Problem{Kind: ledger.ProblemOrder, LeafIndex: -1, EntryID: id,
			Message: fmt.Sprintf("order %s: ", id) + fmt.Sprintf(format, args...)}
	}
	if lAmount == nil {
		return []ledger.Problem{bad("the ledger has no order.created entry for it")}
	}
	var out []ledger.Problem
	for _, f := range []struct {
		name, stored string
		recorded     *string
	}{{"unit price", price, lPrice}, {"quantity", qty, lQty}, {"amount", amount, lAmount}, {"amount paid", amount, paid}} {
		if f.recorded == nil {
			continue // an order not paid yet has no payment
		}
		if !sameDecimal(f.stored, *f.recorded) {
			out = append(out, bad("its %s is %s in the table, %s in the ledger", f.name, f.stored, *f.recorded))
		}
	}
	return out
}

// sameDecimal reports whether two decimal texts are the same number
// ("12.00" and "12.0000" are).
func sameDecimal(a, b string) bool {
	x, err1 := decimal.NewFromString(a)
	y, err2 := decimal.NewFromString(b)
	return err1 == nil && err2 == nil && x.Equal(y)
}
