package postgres_test

import (
	"context"
	"testing"

	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/internal/postgres/pgtest"
)

func TestMigrator_DownAndUpAgain(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := pgtest.NewDB(t)
	m, err := postgres.NewMigrator(pool, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	st, err := m.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(st) == 0 || !st[len(st)-1].Applied {
		t.Fatalf("a fresh test database is not fully migrated: %+v", st)
	}
	newest := st[len(st)-1].Version
	v, err := m.Down(ctx)
	if err != nil || v != newest {
		t.Fatalf("Down() = %d, %v; want %d", v, err, newest)
	}
	applied, err := m.Up(ctx)
	if err != nil || len(applied) != 1 || applied[0] != newest {
		t.Fatalf("Up() = %v, %v; want [%d]", applied, err, newest)
	}
}
