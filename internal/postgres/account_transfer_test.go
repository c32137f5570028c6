package postgres_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/internal/postgres/pgtest"
	"github.com/shujiao/shujiao/market"
)

// inTx runs fn in a committed transaction on db.
func inTx(tb testing.TB, db postgres.DB, fn func(ctx context.Context, tx pgx.Tx) error) error {
	tb.Helper()
	ctx := context.Background()
	return pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error { return fn(ctx, tx) })
}

func mustBalance(tb testing.TB, db postgres.DB, key market.AccountKey, want string) {
	tb.Helper()
	got, err := postgres.Balance(context.Background(), db, key)
	if err != nil {
		tb.Fatal(err)
	}
	if got.String() != want {
		tb.Errorf("balance of %s = %s, want %s", key.Kind, got, want)
	}
}

func TestTransfer_DepositPaySettleRefundKeepTheBooksBalanced(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.NewDB(t)
	buyer, seller := mustLedgerParty(t, db, "Buyer"), mustLedgerParty(t, db, "Seller")
	o1, o2 := market.NewID(), market.NewID()
	steps := []struct {
		name string
		do   func(ctx context.Context, tx pgx.Tx) error
	}{
		{"a simulated bank transfer of 100.00 is deposited", func(ctx context.Context, tx pgx.Tx) error {
			_, _, err := postgres.Deposit(ctx, tx, buyer, market.MustMoney("100.00"), "BANK-REF-1")
			return err
		}},
		{"order 1 is paid 30.00 into escrow", func(ctx context.Context, tx pgx.Tx) error {
			_, _, err := postgres.Pay(ctx, tx, buyer, o1, market.MustMoney("30.00"))
			return err
		}},
		{"order 1 settles with a 3.00 fee", func(ctx context.Context, tx pgx.Tx) error {
			_, _, err := postgres.Settle(ctx, tx, o1, seller, market.MustMoney("30.00"), market.MustMoney("3.00"))
			return err
		}},
		{"order 2 is paid 20.00", func(ctx context.Context, tx pgx.Tx) error {
			_, _, err := postgres.Pay(ctx, tx, buyer, o2, market.MustMoney("20.00"))
			return err
		}},
		{"order 2 is refunded", func(ctx context.Context, tx pgx.Tx) error {
			_, _, err := postgres.Refund(ctx, tx, o2, buyer, market.MustMoney("20.00"))
			return err
		}},
	}
	for _, s := range steps {
		if err := inTx(t, db, s.do); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if err := postgres.CheckBooks(ctx, db); err != nil {
			t.Fatalf("after %s: %v", s.name, err)
		}
	}
	mustBalance(t, db, market.BuyerFunds(buyer), "70.00")
	mustBalance(t, db, market.SellerReceivable(seller), "27.00")
	mustBalance(t, db, market.PlatformFee(), "3.00")
	mustBalance(t, db, market.Escrow(o1), "0.00")
	mustBalance(t, db, market.Escrow(o2), "0.00")
	mustBalance(t, db, market.BankClearing(), "100.00")
	ps, err := postgres.PostingsOfOrder(ctx, db, o1)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 2 || ps[0].Kind != market.PostingPayment || ps[1].Kind != market.PostingSettlement || len(ps[1].Lines) != 3 {
		t.Errorf("postings of order 1 = %+v", ps)
	}
	var events int
	if err := db.QueryRow(ctx, `SELECT count(*) FROM ledger_entries WHERE kind LIKE 'money.%'`).Scan(&events); err != nil {
		t.Fatal(err)
	}
	if events != len(steps) {
		t.Errorf("money ledger events = %d, want one per posting (%d)", events, len(steps))
	}
}

func TestTransfer_RefusesToTakeABalanceBelowZero(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.NewDB(t)
	buyer := mustLedgerParty(t, db, "Buyer")
	if err := inTx(t, db, func(ctx context.Context, tx pgx.Tx) error {
		_, _, err := postgres.Deposit(ctx, tx, buyer, market.MustMoney("100.00"), "REF-1")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		p    func() market.Posting
	}{
		{"paying 100.01 from funds of 100.00", func() market.Posting {
			return market.PaymentPosting(buyer, market.NewID(), market.MustMoney("100.01"))
		}},
		{"refunding from an empty escrow", func() market.Posting { return market.RefundPosting(market.NewID(), buyer, market.MustMoney("1.00")) }},
		{"settling more than the escrow holds", func() market.Posting {
			p, _ := market.SettlementPosting(market.NewID(), buyer, market.MustMoney("5.00"), market.MustMoney("0.50"))
			return p
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.p()
			err := inTx(t, db, func(ctx context.Context, tx pgx.Tx) error { _, err := postgres.Transfer(ctx, tx, &p); return err })
			if !errors.Is(err, market.ErrInsufficientFunds) {
				t.Fatalf("err = %v, want ErrInsufficientFunds", err)
			}
		})
	}
	mustBalance(t, db, market.BuyerFunds(buyer), "100.00")
	var n int
	if err := db.QueryRow(ctx, `SELECT count(*) FROM postings`).Scan(&n); err != nil || n != 1 {
		t.Errorf("postings = %d (%v), want only the deposit", n, err)
	}
}

func TestDeposit_IsIdempotentOnTheBankReference(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	buyer, other := mustLedgerParty(t, db, "Buyer"), mustLedgerParty(t, db, "Other")
	deposit := func(party uuid.UUID, amount string) (market.Posting, bool, error) {
		var p market.Posting
		var replayed bool
		err := inTx(t, db, func(ctx context.Context, tx pgx.Tx) (err error) {
			p, replayed, err = postgres.Deposit(ctx, tx, party, market.MustMoney(amount), "BOC-20261123-0001")
			return err
		})
		return p, replayed, err
	}
	first, replayed, err := deposit(buyer, "500.00")
	if err != nil || replayed {
		t.Fatalf("first deposit: replayed=%v err=%v", replayed, err)
	}
	again, replayed, err := deposit(buyer, "500.00")
	if err != nil || !replayed || again.ID != first.ID {
		t.Errorf("repeated deposit: id %s replayed=%v err=%v, want the first (%s) replayed", again.ID, replayed, err, first.ID)
	}
	mustBalance(t, db, market.BuyerFunds(buyer), "500.00")
	for _, tc := range []struct {
		name   string
		party  uuid.UUID
		amount string
	}{{"the same reference with another amount", buyer, "600.00"}} {
		t.Run(tc.name+" is a conflict", func(t *testing.T) {
			if _, _, err := deposit(tc.party, tc.amount); !errors.Is(err, market.ErrConflict) {
				t.Errorf("err = %v, want ErrConflict", err)
			}
		})
	}
	// Issue 17: references are unique per party; one buyer's reference
	// does not block another's (it was a conflict before).
	t.Run("the same reference for another party is that party's own deposit", func(t *testing.T) {
		p, replayed, err := deposit(other, "500.00")
		if err != nil || replayed || p.ID == first.ID {
			t.Errorf("other party's deposit: id %s replayed=%v err=%v, want a new deposit", p.ID, replayed, err)
		}
		mustBalance(t, db, market.BuyerFunds(other), "500.00")
	})
	t.Run("a deposit without a reference is invalid", func(t *testing.T) {
		err := inTx(t, db, func(ctx context.Context, tx pgx.Tx) error {
			_, _, err := postgres.Deposit(ctx, tx, buyer, market.MustMoney("1.00"), " ")
			return err
		})
		if !errors.Is(err, market.ErrInvalid) {
			t.Errorf("err = %v, want ErrInvalid", err)
		}
	})
}

func TestPostings_TheDatabaseRefusesAnUnbalancedPosting(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.NewDB(t)
	buyer := mustLedgerParty(t, db, "Buyer")
	if err := inTx(t, db, func(ctx context.Context, tx pgx.Tx) error {
		_, _, err := postgres.Deposit(ctx, tx, buyer, market.MustMoney("10.00"), "REF")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	// Written behind Transfer's back, as the server role: one debit of 5.00
	// against a credit of 4.00.
	err := inTx(t, db, func(ctx context.Context, tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SET LOCAL ROLE shujiao_app`); err != nil {
			return err
		}
		entry, err := postgres.AppendLedger(ctx, tx, market.LedgerEvent{Kind: "money.payment"})
		if err != nil {
			return err
		}
		id := market.NewID()
		if _, err := tx.Exec(ctx, `INSERT INTO postings (id, kind, created_at, ledger_entry_id) VALUES ($1, 'payment', now(), $2)`, id, entry); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO posting_lines (posting_id, line_no, account_id, side, amount)
SELECT $1::uuid, 0, id, 'debit', 5.00 FROM money_accounts WHERE kind = 'buyer_funds'
UNION ALL SELECT $1::uuid, 1, id, 'credit', 4.00 FROM money_accounts WHERE kind = 'bank_clearing'`, id)
		return err
	})
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "23514" {
		t.Fatalf("commit of an unbalanced posting: err = %v, want check_violation (23514)", err)
	}
	if err := postgres.CheckBooks(ctx, db); err != nil {
		t.Errorf("books after the refused posting: %v", err)
	}
	t.Run("the domain refuses it before the database sees it", func(t *testing.T) {
		p := market.Posting{Kind: market.PostingPayment, Lines: []market.PostingLine{
			{Account: market.BuyerFunds(buyer), Side: market.Debit, Amount: market.MustMoney("5.00")},
			{Account: market.BankClearing(), Side: market.Credit, Amount: market.MustMoney("4.00")},
		}}
		var me *market.Error
		if err := p.Validate(); !errors.As(err, &me) || me.Code != "unbalanced_posting" {
			t.Errorf("Validate = %v, want unbalanced_posting", err)
		}
	})
}
