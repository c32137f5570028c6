package pgtest_test

import (
	"context"
	"testing"

	"github.com/shujiao/shujiao/internal/postgres/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestNewDB_IsMigratedAndIsolated(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, b := pgtest.NewDB(t), pgtest.NewDB(t)
	var name string
	if err := a.QueryRow(ctx, `SELECT current_database()`).Scan(&name); err != nil {
		t.Fatal(err)
	}
	var nameB string
	if err := b.QueryRow(ctx, `SELECT current_database()`).Scan(&nameB); err != nil || nameB == name {
		t.Fatalf("two NewDB calls share database %q (%v)", name, err)
	}
	if _, err := a.Exec(ctx, `INSERT INTO parties (id, kind, name, jurisdiction) VALUES (gen_random_uuid(), 'individual', '张三', '61')`); err != nil {
		t.Fatalf("the clone is not migrated: %v", err)
	}
	var n int
	if err := b.QueryRow(ctx, `SELECT count(*) FROM parties`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("a row written in one test database shows in another: %d (%v)", n, err)
	}
}

func TestNewDB_DroppedAfterTheTest(t *testing.T) {
	t.Parallel()
	var name string
	t.Run("a test that makes a database", func(t *testing.T) {
		if err := pgtest.NewDB(t).QueryRow(context.Background(), `SELECT current_database()`).Scan(&name); err != nil {
			t.Fatal(err)
		}
	})
	var exists bool
	err := pgtest.NewDB(t).QueryRow(context.Background(), `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists)
	if err != nil || exists {
		t.Fatalf("database %q still exists after its test (%v)", name, err)
	}
}

// BenchmarkNewDB measures cloning the migrated template and connecting to
// the clone (the clones are dropped when the benchmark ends; run it with a
// modest -benchtime such as 20x).
func BenchmarkNewDB(b *testing.B) {
	for b.Loop() {
		pgtest.NewDB(b)
	}
}
