package postgres_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/internal/postgres/pgtest"
	"github.com/shujiao/shujiao/market"
)

// TestPay_200ConcurrentPaymentsAgainstFundsFor100_Exactly100Succeed is issue 7
// item 5: 200 concurrent orders paying 1.00 each from one buyer account
// funded with 100.00; exactly 100 succeed, the others are refused for
// insufficient funds, and balances, escrow and ledger agree afterwards.
func TestPay_200ConcurrentPaymentsAgainstFundsFor100_Exactly100Succeed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, url := pgtest.NewDBURL(t)
	sep := " " // a key=value connection string
	switch {
	case strings.HasPrefix(url, "postgres") && strings.Contains(url, "?"):
		sep = "&"
	case strings.HasPrefix(url, "postgres"):
		sep = "?"
	}
	db, err := postgres.Open(ctx, url+sep+"pool_max_conns=32")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	buyer := mustLedgerParty(t, db, "Buyer")
	if err := inTx(t, db, func(ctx context.Context, tx pgx.Tx) error {
		_, _, err := postgres.Deposit(ctx, tx, buyer, market.MustMoney("100.00"), "FUND-100")
		return err
	}); err != nil {
		t.Fatal(err)
	}

	const orders = 200
	var wg sync.WaitGroup
	var mu sync.Mutex
	var paid, refused int
	var unexpected []error
	start := make(chan struct{})
	for range orders {
		wg.Go(func() {
			<-start
			err := pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
				_, _, err := postgres.Pay(ctx, tx, buyer, market.NewID(), market.MustMoney("1.00"))
				return err
			})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				paid++
			case errors.Is(err, market.ErrInsufficientFunds):
				refused++
			default:
				unexpected = append(unexpected, err)
			}
		})
	}
	close(start)
	wg.Wait()
	if len(unexpected) > 0 {
		t.Fatalf("%d payments failed otherwise than for funds, first: %v", len(unexpected), unexpected[0])
	}
	if paid != 100 || refused != 100 {
		t.Fatalf("paid %d, refused %d; want exactly 100 and 100", paid, refused)
	}

	mustBalance(t, db, market.BuyerFunds(buyer), "0.00")
	var escrows int
	var escrowTotal string
	if err := db.QueryRow(ctx, `SELECT count(*), sum(balance)::text FROM money_accounts WHERE kind = 'escrow' AND balance = 1.00`).
		Scan(&escrows, &escrowTotal); err != nil {
		t.Fatal(err)
	}
	if escrows != 100 || escrowTotal != "100.00" {
		t.Errorf("escrow: %d accounts holding %s, want 100 holding 100.00", escrows, escrowTotal)
	}
	if err := postgres.CheckBooks(ctx, db); err != nil {
		t.Errorf("books: %v", err)
	}
	var payments int
	if err := db.QueryRow(ctx, `SELECT count(*) FROM ledger_entries WHERE kind = 'money.payment'`).Scan(&payments); err != nil {
		t.Fatal(err)
	}
	if payments != 100 {
		t.Errorf("money.payment ledger events = %d, want 100", payments)
	}
	seq := postgres.NewSequencer(db, testPlatformKey, nil)
	head, err := seq.SignHead(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if head.Size != 101 {
		t.Errorf("tree size = %d, want 101 (the deposit and 100 payments)", head.Size)
	}
	r, err := postgres.VerifyLedger(ctx, db, testPlatformKey.Public())
	if err != nil || !r.OK {
		t.Errorf("verify ledger: %+v, %v", r, err)
	}
}
