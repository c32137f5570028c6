package postgres_test

import (
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/internal/postgres/pgtest"
	"github.com/shujiao/shujiao/market"
)

// TestTransfer_AnAccountSumNeverOverflows: deposits that would take the
// platform's bank clearing account to 10^16 yuan or more are refused as a
// conflict (account_limit) and nothing moves; before, one deposit near
// 10^18 overflowed the account's numeric(20, 2) and every later deposit by
// anyone answered 500.
func TestTransfer_AnAccountSumNeverOverflows(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.NewDB(t)
	buyer := mustLedgerParty(t, db, "Big buyer")
	big := market.NewMoney(decimal.New(6, 15)) // 6·10^15: two of them pass 10^16
	deposit := func(ref string, amount market.Money) error {
		return pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
			_, _, err := postgres.Deposit(ctx, tx, buyer, amount, ref)
			return err
		})
	}
	if err := deposit("BIG-1", big); err != nil {
		t.Fatal(err)
	}
	err := deposit("BIG-2", big)
	var me *market.Error
	if !errors.As(err, &me) || !errors.Is(err, market.ErrConflict) || me.Code != "account_limit" {
		t.Fatalf("second deposit: err = %v, want a conflict account_limit", err)
	}
	mustBalance(t, db, market.BuyerFunds(buyer), "6000000000000000.00")
	if err := deposit("SMALL-1", market.MustMoney("1.00")); err != nil {
		t.Errorf("a later small deposit: %v", err)
	}
}

// TestDeposit_ARecordUnderTheOldGlobalKeyIsReplayedNotCreditedTwice: a
// deposit recorded before references became per party (key
// "deposit:<reference>") is found again by party and reference.
func TestDeposit_ARecordUnderTheOldGlobalKeyIsReplayedNotCreditedTwice(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.NewDB(t)
	buyer := mustLedgerParty(t, db, "Old buyer")
	deposit := func() (bool, error) {
		var replayed bool
		err := pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
			var err error
			_, replayed, err = postgres.Deposit(ctx, tx, buyer, market.MustMoney("10.00"), "OLD-REF")
			return err
		})
		return replayed, err
	}
	if _, err := deposit(); err != nil {
		t.Fatal(err)
	}
	mustSuperExec(t, db, `UPDATE postings SET idempotency_key = 'deposit:OLD-REF' WHERE reference = 'OLD-REF'`)
	if replayed, err := deposit(); err != nil || !replayed {
		t.Fatalf("the same deposit again: replayed %v, %v", replayed, err)
	}
	mustBalance(t, db, market.BuyerFunds(buyer), "10.00")
}
