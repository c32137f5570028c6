package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/internal/postgres/pgtest"
	"github.com/shujiao/shujiao/market"
)

// TestTransfer_ConcurrentFirstDepositsOpenOneAccount: sixteen deposits for
// a party without accounts, on as many connections at once, all open the
// same buyer account (the others find the one the first opened) and every
// amount lands in it.
func TestTransfer_ConcurrentFirstDepositsOpenOneAccount(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.NewDB(t)
	buyer := mustLedgerParty(t, db, "Buyer")
	const n = 16
	var wg sync.WaitGroup
	errs := make([]error, n)
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = inTx(t, db, func(ctx context.Context, tx pgx.Tx) error {
				_, _, err := postgres.Deposit(ctx, tx, buyer, market.MustMoney("1.50"), fmt.Sprintf("REF-%d", i))
				return err
			})
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("deposit %d: %v", i, err)
		}
	}
	var accounts int
	if err := db.QueryRow(ctx, `SELECT count(*) FROM money_accounts WHERE kind = 'buyer_funds' AND party_id = $1`, buyer).Scan(&accounts); err != nil {
		t.Fatal(err)
	}
	if accounts != 1 {
		t.Errorf("%d buyer accounts, want 1", accounts)
	}
	mustBalance(t, db, market.BuyerFunds(buyer), "24.00")
	if err := postgres.CheckBooks(ctx, db); err != nil {
		t.Error(err)
	}
}

// TestTransfer_FindsItsAccountsByIndexAmongMany: with hundreds of escrow
// accounts (one per order ever placed), a payment reads no account table
// sequentially: its cost does not grow with the orders placed before it.
func TestTransfer_FindsItsAccountsByIndexAmongMany(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.NewDB(t)
	buyer := mustLedgerParty(t, db, "Buyer")
	if _, err := db.Exec(ctx, `INSERT INTO money_accounts (id, kind, order_id, normal_side)
SELECT gen_random_uuid(), 'escrow', gen_random_uuid(), 'credit' FROM generate_series(1, 500)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(ctx, `ANALYZE money_accounts`); err != nil {
		t.Fatal(err)
	}
	if err := inTx(t, db, func(ctx context.Context, tx pgx.Tx) error {
		_, _, err := postgres.Deposit(ctx, tx, buyer, market.MustMoney("10.00"), "REF")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	order := market.NewID()
	// The backend's counts not yet reported (pg_stat_xact_*) may include
	// earlier transactions of the connection: the payment's are the change.
	const seqScans = `SELECT coalesce(sum(seq_scan), 0) FROM pg_stat_xact_user_tables WHERE relname = 'money_accounts'`
	err := inTx(t, db, func(ctx context.Context, tx pgx.Tx) error {
		var before, after int64
		if err := tx.QueryRow(ctx, seqScans).Scan(&before); err != nil {
			return err
		}
		if _, _, err := postgres.Pay(ctx, tx, buyer, order, market.MustMoney("4.00")); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, seqScans).Scan(&after); err != nil {
			return err
		}
		if after != before {
			t.Errorf("the payment read money_accounts sequentially %d times, want 0 (found by index)", after-before)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	mustBalance(t, db, market.BuyerFunds(buyer), "6.00")
	mustBalance(t, db, market.Escrow(order), "4.00")
}

// TestPostings_ALineAddedLaterIsRefused: lines written behind Transfer's
// back, as the server role, are refused when they leave a posting
// unbalanced — a line added to a posting committed earlier, and a posting's
// lines split over two statements (the first leaves it unbalanced) — and
// the books still add up.
func TestPostings_ALineAddedLaterIsRefused(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.NewDB(t)
	buyer := mustLedgerParty(t, db, "Buyer")
	dep, _, err := func() (market.Posting, bool, error) {
		var p market.Posting
		var replayed bool
		err := inTx(t, db, func(ctx context.Context, tx pgx.Tx) error {
			var err error
			p, replayed, err = postgres.Deposit(ctx, tx, buyer, market.MustMoney("10.00"), "REF")
			return err
		})
		return p, replayed, err
	}()
	if err != nil {
		t.Fatal(err)
	}
	asApp := func(fn func(ctx context.Context, tx pgx.Tx) error) error {
		return inTx(t, db, func(ctx context.Context, tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `SET LOCAL ROLE shujiao_app`); err != nil {
				return err
			}
			return fn(ctx, tx)
		})
	}
	wantCheck := func(t *testing.T, err error) {
		t.Helper()
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != "23514" {
			t.Fatalf("err = %v, want check_violation (23514)", err)
		}
	}
	t.Run("a line added to a committed posting", func(t *testing.T) {
		wantCheck(t, asApp(func(ctx context.Context, tx pgx.Tx) error {
			_, err := tx.Exec(ctx, `INSERT INTO posting_lines (posting_id, line_no, account_id, side, amount)
SELECT $1::uuid, 9, id, 'credit', 1.00 FROM money_accounts WHERE kind = 'buyer_funds'`, dep.ID)
			return err
		}))
	})
	t.Run("a new posting's lines in two statements, the first unbalanced", func(t *testing.T) {
		wantCheck(t, asApp(func(ctx context.Context, tx pgx.Tx) error {
			entry, err := postgres.AppendLedger(ctx, tx, market.LedgerEvent{Kind: "money.payment"})
			if err != nil {
				return err
			}
			id := market.NewID()
			if _, err := tx.Exec(ctx, `INSERT INTO postings (id, kind, created_at, ledger_entry_id) VALUES ($1, 'payment', now(), $2)`, id, entry); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `INSERT INTO posting_lines (posting_id, line_no, account_id, side, amount)
SELECT $1::uuid, 0, id, 'debit', 2.00 FROM money_accounts WHERE kind = 'buyer_funds'`, id); err != nil {
				return err
			}
			_, err = tx.Exec(ctx, `INSERT INTO posting_lines (posting_id, line_no, account_id, side, amount)
SELECT $1::uuid, 1, id, 'credit', 2.00 FROM money_accounts WHERE kind = 'bank_clearing'`, id)
			return err
		}))
	})
	t.Run("a posting without lines", func(t *testing.T) {
		wantCheck(t, asApp(func(ctx context.Context, tx pgx.Tx) error {
			entry, err := postgres.AppendLedger(ctx, tx, market.LedgerEvent{Kind: "money.payment"})
			if err != nil {
				return err
			}
			_, err = tx.Exec(ctx, `INSERT INTO postings (id, kind, created_at, ledger_entry_id) VALUES ($1, 'payment', now(), $2)`, market.NewID(), entry)
			return err
		}))
	})
	mustBalance(t, db, market.BuyerFunds(buyer), "10.00")
	if err := postgres.CheckBooks(ctx, db); err != nil {
		t.Error(err)
	}
}
