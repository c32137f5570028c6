package postgres_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/shujiao/shujiao/internal/pgp"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/market"
)

// testPlatformKey is one platform key for the package's ledger tests
// (generating keys is the slow part of signing).
var testPlatformKey = func() *pgp.Key {
	k, err := pgp.Generate("Shujiao test platform", "platform@shujiao.test")
	if err != nil {
		panic(err)
	}
	return k
}()

// mustLedgerParty inserts an organization party and returns its id.
func mustLedgerParty(tb testing.TB, db *pgxpool.Pool, name string) uuid.UUID {
	tb.Helper()
	id := market.NewID()
	_, err := db.Exec(context.Background(),
		`INSERT INTO parties (id, kind, type, name, jurisdiction) VALUES ($1, 'organization', 'participant', $2, '61')`, id, name)
	if err != nil {
		tb.Fatalf("insert party %s: %v", name, err)
	}
	return id
}

// mustAppend appends n events, each in its own committed transaction, and
// returns their ids in order.
func mustAppend(tb testing.TB, db *pgxpool.Pool, n int) []uuid.UUID {
	tb.Helper()
	ctx := context.Background()
	ids := make([]uuid.UUID, 0, n)
	for i := range n {
		err := pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
			id, err := postgres.AppendLedger(ctx, tx, market.LedgerEvent{
				Kind: "test.event", SubjectID: market.NewID(),
				Payload: json.RawMessage(fmt.Sprintf(`{"n": %d, "amount": "%d.00"}`, i, 100+i)),
				At:      time.Date(2026, 11, 23, 12, 0, i, 0, time.UTC),
			})
			ids = append(ids, id)
			return err
		})
		if err != nil {
			tb.Fatalf("append event %d: %v", i, err)
		}
	}
	return ids
}

// mustSuperExec runs sql as the test's superuser with triggers (and so the
// append-only guards and foreign keys) disabled, as a tamperer would.
func mustSuperExec(tb testing.TB, db *pgxpool.Pool, sql string, args ...any) {
	tb.Helper()
	ctx := context.Background()
	err := pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SET LOCAL session_replication_role = replica`); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, sql, args...)
		return err
	})
	if err != nil {
		tb.Fatalf("tamper %q: %v", sql, err)
	}
}

// pgpGenerate returns a fresh key that is not the platform's.
func pgpGenerate() (*pgp.Key, error) { return pgp.Generate("Someone else", "other@shujiao.test") }
