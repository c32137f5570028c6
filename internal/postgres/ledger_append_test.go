package postgres_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/shujiao/shujiao/internal/ledger"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/internal/postgres/pgtest"
	"github.com/shujiao/shujiao/market"
)

func TestAppendLedger_CommitsOrRollsBackWithTheCallersTransaction(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.NewDB(t)
	for _, tc := range []struct {
		name   string
		commit bool
	}{{"a committed change keeps its event", true}, {"a rolled-back change leaves no event", false}} {
		t.Run(tc.name, func(t *testing.T) {
			tx, err := db.Begin(ctx)
			if err != nil {
				t.Fatal(err)
			}
			id, err := postgres.AppendLedger(ctx, tx, market.LedgerEvent{Kind: "order.paid", Payload: json.RawMessage(`{"amount":"1.00"}`)})
			if err != nil {
				t.Fatal(err)
			}
			if tc.commit {
				err = tx.Commit(ctx)
			} else {
				err = tx.Rollback(ctx)
			}
			if err != nil {
				t.Fatal(err)
			}
			var n int
			if err := db.QueryRow(ctx, `SELECT count(*) FROM ledger_entries WHERE id = $1`, id).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if got, want := n == 1, tc.commit; got != want {
				t.Errorf("entry stored = %v, want %v", got, want)
			}
		})
	}
}

func TestAppendLedger_RefusesMalformedEvents(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.NewDB(t)
	for _, tc := range []struct {
		name string
		ev   market.LedgerEvent
	}{
		{"a kind without a dot", market.LedgerEvent{Kind: "paid"}},
		{"an upper-case kind", market.LedgerEvent{Kind: "Order.Paid"}},
		{"a payload that is not JSON", market.LedgerEvent{Kind: "order.paid", Payload: json.RawMessage(`{"a":`)}},
		{"a payload that is an array", market.LedgerEvent{Kind: "order.paid", Payload: json.RawMessage(`[1]`)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
				_, err := postgres.AppendLedger(ctx, tx, tc.ev)
				return err
			})
			if !errors.Is(err, market.ErrInvalid) {
				t.Errorf("AppendLedger(%+v) = %v, want ErrInvalid", tc.ev, err)
			}
		})
	}
}

func TestLedger_ServerRoleCannotUpdateOrDeleteLedgerRows(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.NewDB(t)
	ids := mustAppend(t, db, 3)
	seq := postgres.NewSequencer(db, testPlatformKey, nil)
	if _, err := seq.SignHead(ctx); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, role, sql string }{
		{"the server role cannot update an entry", "shujiao_app", `UPDATE ledger_entries SET payload = '{}' WHERE id = $1`},
		{"the server role cannot delete an entry", "shujiao_app", `DELETE FROM ledger_entries WHERE id = $1`},
		{"the server role cannot delete a leaf", "shujiao_app", `DELETE FROM ledger_leaves WHERE entry_id = $1`},
		{"the server role cannot update a head", "shujiao_app", `UPDATE ledger_heads SET signature = '' WHERE $1::uuid IS NOT NULL`},
		{"the server role cannot truncate the entries", "shujiao_app", `TRUNCATE ledger_entries, ledger_leaves, flags CASCADE`},
		{"even the owner is stopped by the append-only trigger on update", "", `UPDATE ledger_entries SET payload = '{}' WHERE id = $1`},
		{"even the owner is stopped by the append-only trigger on delete", "", `DELETE FROM ledger_leaves WHERE entry_id = $1`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
				if tc.role != "" {
					if _, err := tx.Exec(ctx, `SET LOCAL ROLE `+tc.role); err != nil {
						return err
					}
				}
				args := []any{ids[1]}
				if tc.sql[:8] == "TRUNCATE" {
					args = nil
				}
				_, err := tx.Exec(ctx, tc.sql, args...)
				return err
			})
			var pe *pgconn.PgError
			if !errors.As(err, &pe) || pe.Code != "42501" {
				t.Fatalf("%s: err = %v, want insufficient_privilege (42501)", tc.sql, err)
			}
		})
	}
	t.Run("a pool opened with OpenAppPool works as the server role", func(t *testing.T) {
		app, err := postgres.OpenAppPool(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		defer app.Close()
		var role string
		if err := app.QueryRow(ctx, `SELECT current_user`).Scan(&role); err != nil || role != postgres.AppRole {
			t.Fatalf("current_user = %q (%v), want %s", role, err, postgres.AppRole)
		}
		for _, sql := range []string{
			`UPDATE ledger_entries SET kind = 'x.y'`, `DELETE FROM ledger_heads`,
			`UPDATE postings SET memo = 'x'`, `DELETE FROM posting_lines`, `DELETE FROM money_accounts`,
		} {
			_, err := app.Exec(ctx, sql)
			var pe *pgconn.PgError
			if !errors.As(err, &pe) || pe.Code != "42501" {
				t.Errorf("%s as %s: err = %v, want insufficient_privilege", sql, role, err)
			}
		}
	})
	t.Run("the server role can append and read", func(t *testing.T) {
		err := pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `SET LOCAL ROLE shujiao_app`); err != nil {
				return err
			}
			if _, err := postgres.AppendLedger(ctx, tx, market.LedgerEvent{Kind: "test.as_app"}); err != nil {
				return err
			}
			var n int
			return tx.QueryRow(ctx, `SELECT count(*) FROM ledger_entries`).Scan(&n)
		})
		if err != nil {
			t.Fatalf("append as shujiao_app: %v", err)
		}
	})
}

func TestSequencer_ProvesEveryEntryAgainstTheSignedHead(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.NewDB(t)
	seq := postgres.NewSequencer(db, testPlatformKey, nil)
	ids := mustAppend(t, db, 13)
	first, err := seq.SignHead(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := first.Size, uint64(13); got != want {
		t.Fatalf("head size = %d, want %d", got, want)
	}
	if err := ledger.VerifyHead(testPlatformKey.Public(), first); err != nil {
		t.Fatalf("head signature: %v", err)
	}
	more := mustAppend(t, db, 8) // not integrated yet: Proof integrates on demand
	ids = append(ids, more...)
	seen := map[uint64]uuid.UUID{}
	for _, id := range ids {
		p, err := seq.Proof(ctx, id)
		if err != nil {
			t.Fatalf("proof of %s: %v", id, err)
		}
		if err := ledger.VerifyInclusion(p.LeafIndex, p.TreeSize, p.LeafHash, p.Hashes, p.Head.Root); err != nil {
			t.Errorf("inclusion proof of %s at leaf %d of %d: %v", id, p.LeafIndex, p.TreeSize, err)
		}
		if prev, dup := seen[p.LeafIndex]; dup {
			t.Errorf("entries %s and %s share leaf %d", prev, id, p.LeafIndex)
		}
		seen[p.LeafIndex] = id
	}
	latest, err := postgres.LatestHead(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := latest.Size, uint64(21); got != want {
		t.Fatalf("latest head size = %d, want %d", got, want)
	}
	cp, err := seq.Consistency(ctx, first.Size, latest.Size)
	if err != nil {
		t.Fatal(err)
	}
	if err := ledger.VerifyConsistency(cp.From, cp.To, cp.Hashes, first.Root, latest.Root); err != nil {
		t.Errorf("consistency %d→%d: %v", cp.From, cp.To, err)
	}
	t.Run("a proof against a changed root fails", func(t *testing.T) {
		p, err := seq.Proof(ctx, ids[4])
		if err != nil {
			t.Fatal(err)
		}
		bad := append([]byte(nil), p.Head.Root...)
		bad[0] ^= 1
		if err := ledger.VerifyInclusion(p.LeafIndex, p.TreeSize, p.LeafHash, p.Hashes, bad); err == nil {
			t.Error("proof verified against a changed root")
		}
	})
	t.Run("an unknown entry has no proof", func(t *testing.T) {
		if _, err := seq.Proof(ctx, market.NewID()); !errors.Is(err, market.ErrNotFound) {
			t.Errorf("proof of unknown entry: err = %v, want ErrNotFound", err)
		}
	})
}

func TestAppRole_CannotTouchTheMigrationsTable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.NewDB(t)
	app, err := postgres.OpenAppPool(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()
	_, err = app.Exec(ctx, `DELETE FROM goose_db_version`)
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "42501" {
		t.Errorf("delete from goose_db_version as %s: err = %v, want insufficient_privilege", postgres.AppRole, err)
	}
}
