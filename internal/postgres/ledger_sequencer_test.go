package postgres_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/internal/postgres/pgtest"
	"github.com/shujiao/shujiao/market"
)

// TestSequencer_TwoSequencersAndEightAppendersBuildOneConsistentTree runs
// appenders (some transactions holding several entries, some rolled back)
// while two sequencers integrate concurrently: afterwards every committed
// entry is in the tree exactly once and the ledger verifies.
func TestSequencer_TwoSequencersAndEightAppendersBuildOneConsistentTree(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.NewDB(t)
	stop := make(chan struct{})
	var seqs sync.WaitGroup
	for range 2 {
		s := postgres.NewSequencer(db, testPlatformKey, nil)
		seqs.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := s.Integrate(ctx); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	var apps sync.WaitGroup
	for w := range 8 {
		apps.Go(func() {
			for i := range 25 {
				err := pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
					for range 1 + i%3 {
						if _, err := postgres.AppendLedger(ctx, tx, market.LedgerEvent{Kind: "test.concurrent"}); err != nil {
							return err
						}
					}
					if (w+i)%5 == 0 {
						return errRollback
					}
					return nil
				})
				if err != nil && !errors.Is(err, errRollback) {
					t.Error(err)
					return
				}
			}
		})
	}
	apps.Wait()
	close(stop)
	seqs.Wait()
	head, err := postgres.NewSequencer(db, testPlatformKey, nil).SignHead(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var entries, leaves, distinct int
	if err := db.QueryRow(ctx, `SELECT (SELECT count(*) FROM ledger_entries), (SELECT count(*) FROM ledger_leaves),
(SELECT count(DISTINCT entry_id) FROM ledger_leaves)`).Scan(&entries, &leaves, &distinct); err != nil {
		t.Fatal(err)
	}
	if entries != leaves || leaves != distinct || uint64(leaves) != head.Size {
		t.Errorf("entries %d, leaves %d (%d distinct), head over %d: want all equal", entries, leaves, distinct, head.Size)
	}
	r, err := postgres.VerifyLedger(ctx, db, testPlatformKey.Public())
	if err != nil || !r.OK {
		t.Errorf("verify: %+v %v", r, err)
	}
}

type rollback struct{}

func (rollback) Error() string { return "roll back" }

var errRollback error = rollback{}
