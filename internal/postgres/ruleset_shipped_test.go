package postgres_test

import (
	"context"
	"log/slog"
	"testing"

	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/internal/postgres/pgtest"
	"github.com/shujiao/shujiao/market"
)

// A database that stored the shipped rule set as version 1 (before the
// scope vocabulary, the content signatures and the export rules) receives
// the newer shipped version when migrated; version 1 stays as it was.
func TestStoreShippedRuleSets_ADatabaseOnVersion1GetsTheNewerDefaultOnMigrate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := pgtest.NewDB(t)
	if _, err := pool.Exec(ctx, `DELETE FROM rulesets WHERE version > 1`); err != nil {
		t.Fatal(err)
	}
	store := postgres.NewRuleSetStore(pool)
	if cur, err := store.CurrentRuleSet(ctx); err != nil || cur.Version != 1 || cur.Export != nil {
		t.Fatalf("set-up: current %+v, %v; want the old version 1", cur, err)
	}
	for range 2 { // a second migrate stores nothing more
		if err := postgres.Migrate(ctx, pool, slog.New(slog.DiscardHandler)); err != nil {
			t.Fatal(err)
		}
	}
	cur, err := store.CurrentRuleSet(ctx)
	if err != nil {
		t.Fatal(err)
	}
	def := market.DefaultRuleSet()
	if cur.Version != def.Version || cur.Export == nil || len(cur.ContentSignatures) != len(def.ContentSignatures) {
		t.Errorf("current rule set version %d: want the shipped default, version %d", cur.Version, def.Version)
	}
	v1, err := store.RuleSet(ctx, 1)
	if err != nil || v1.Export != nil || len(v1.ContentSignatures) != 0 {
		t.Errorf("version 1 after migrate: %v; want it kept as it was", err)
	}
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM rulesets`).Scan(&n); err != nil || n != def.Version {
		t.Errorf("%d stored versions, %v; want %d", n, err, def.Version)
	}
}
