package postgres

import (
	"context"
	"errors"
	"fmt"
)

// ErrBooksDisagree is returned (wrapped) by CheckBooks when the books do not
// add up.
var ErrBooksDisagree = errors.New("the money books disagree")

// accountsOffTheirLines: accounts whose balance is not the sum of their
// posting lines (in the account's normal sense).
const accountsOffTheirLines = `
SELECT a.id, a.kind, a.balance::text,
       coalesce(sum(CASE WHEN l.side = a.normal_side THEN l.amount ELSE -l.amount END), 0)::text
FROM money_accounts a LEFT JOIN posting_lines l ON l.account_id = a.id
GROUP BY a.id
HAVING a.balance <> coalesce(sum(CASE WHEN l.side = a.normal_side THEN l.amount ELSE -l.amount END), 0)
LIMIT 20`

// trialBalance: what the platform holds (debit-normal) against what it owes
// and earned (credit-normal).
const trialBalance = `
SELECT coalesce(sum(balance) FILTER (WHERE normal_side = 'debit'), 0)::text,
       coalesce(sum(balance) FILTER (WHERE normal_side = 'credit'), 0)::text
FROM money_accounts`

// postingsOffTheLedger: postings without their money.<kind> ledger event, or
// whose event states another total.
const postingsOffTheLedger = `
SELECT p.id::text FROM postings p LEFT JOIN ledger_entries e ON e.id = p.ledger_entry_id
WHERE e.id IS NULL OR e.kind <> 'money.' || p.kind OR (e.payload->>'total')::numeric IS DISTINCT FROM
      (SELECT sum(amount) FROM posting_lines WHERE posting_id = p.id AND side = 'debit')
LIMIT 20`

// CheckBooks checks that the money books add up: every account's balance is
// the sum of its posting lines, the debit-normal balances equal the
// credit-normal ones (the trial balance), and every posting's ledger event
// exists and states its total. It returns nil when they do, an error
// wrapping ErrBooksDisagree naming what disagrees, or the database error.
func CheckBooks(ctx context.Context, db DB) error {
	var problems []error
	rows, err := db.Query(ctx, accountsOffTheirLines)
	if err != nil {
		return fmt.Errorf("check books: %w", err)
	}
	for rows.Next() {
		var id, kind, balance, lines string
		if err := rows.Scan(&id, &kind, &balance, &lines); err != nil {
			rows.Close()
			return fmt.Errorf("check books: %w", err)
		}
		problems = append(problems, fmt.Errorf("%s account %s holds %s but its lines sum to %s", kind, id, balance, lines))
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("check books: %w", err)
	}
	var debit, credit string
	if err := db.QueryRow(ctx, trialBalance).Scan(&debit, &credit); err != nil {
		return fmt.Errorf("check books: %w", err)
	}
	if debit != credit {
		problems = append(problems, fmt.Errorf("trial balance: debit-normal accounts hold %s, credit-normal %s", debit, credit))
	}
	rows, err = db.Query(ctx, postingsOffTheLedger)
	if err != nil {
		return fmt.Errorf("check books: %w", err)
	}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return fmt.Errorf("check books: %w", err)
		}
		problems = append(problems, fmt.Errorf("posting %s has no matching ledger event", id))
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("check books: %w", err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %w", ErrBooksDisagree, errors.Join(problems...))
	}
	return nil
}
