package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/shujiao/shujiao/internal/pglocal"
	"github.com/shujiao/shujiao/internal/postgres"
)

// EnvURL names the environment variable with the URL of a PostgreSQL server
// to test against instead of a private cluster. Its user must be allowed to
// create databases.
const EnvURL = "TEST_DATABASE_URL"

// templateLockKey is the advisory lock under which a template database is
// created and migrated.
const templateLockKey int64 = 0x73686a7470 // "shjtp"

// state is the test binary's server and template, set up by Main.
var state struct {
	admin    *pgxpool.Pool // connected to the maintenance database
	baseURL  string        // a URL whose database part is replaced per clone
	template string
	mu       sync.Mutex // serializes CREATE DATABASE from the template
}

// Main sets up PostgreSQL for the package's tests, runs them, tears the
// server down and exits with the tests' status. Call it from TestMain.
func Main(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) (code int) {
	ctx := context.Background()
	stop, err := setUp(ctx)
	if err != nil {
		fmt.Fprintf(os.Stderr, "pgtest: %v\n", err)
		if errors.Is(err, pglocal.ErrNoBinaries) {
			fmt.Fprintf(os.Stderr, "pgtest: or set %s to the URL of a PostgreSQL server\n", EnvURL)
		}
		return 1
	}
	defer func() {
		if err := stop(); err != nil {
			fmt.Fprintf(os.Stderr, "pgtest: tear down: %v\n", err)
			if code == 0 {
				code = 1
			}
		}
	}()
	return m.Run()
}

// setUp finds or starts the server and creates the migrated template; the
// returned function drops the template and stops what setUp started.
func setUp(ctx context.Context) (func() error, error) {
	var stops []func() error
	stopAll := func() error {
		var errs []error
		for i := len(stops) - 1; i >= 0; i-- {
			errs = append(errs, stops[i]())
		}
		return errors.Join(errs...)
	}
	base := os.Getenv(EnvURL)
	if base == "" {
		dir, err := os.MkdirTemp("", "shujiao-pgtest-")
		if err != nil {
			return nil, fmt.Errorf("temporary directory: %w", err)
		}
		stops = append(stops, func() error { return os.RemoveAll(dir) })
		// Let the server user (postgres, when tests run as root) reach the
		// directory, so that the cluster lives, and goes, with it.
		if err := os.Chmod(dir, 0o755); err != nil {
			_ = stopAll()
			return nil, fmt.Errorf("temporary directory: %w", err)
		}
		c, err := pglocal.Start(ctx, filepath.Join(dir, "var"), pglocal.Options{Ephemeral: true, MaxConnections: 300})
		if err != nil {
			_ = stopAll()
			return nil, fmt.Errorf("start PostgreSQL: %w", err)
		}
		stops = append(stops, c.Stop)
		base = c.URL("postgres")
		// Fuzz workers are child processes of this test binary: they
		// inherit the variable and share this server instead of each
		// starting its own.
		_ = os.Setenv(EnvURL, base)
	}
	admin, err := postgres.Open(ctx, base)
	if err != nil {
		_ = stopAll()
		return nil, err
	}
	stops = append(stops, func() error { admin.Close(); return nil })
	// Test binaries and fuzz workers sharing one server migrate their
	// templates one at a time: the migrations grant to cluster-wide roles,
	// and two concurrent GRANTs on one role fail ("tuple concurrently
	// updated"), which killed a fuzz worker before it fuzzed.
	lock, err := admin.Acquire(ctx)
	if err != nil {
		_ = stopAll()
		return nil, fmt.Errorf("template lock: %w", err)
	}
	if _, err := lock.Exec(ctx, `SELECT pg_advisory_lock($1)`, templateLockKey); err != nil {
		lock.Release()
		_ = stopAll()
		return nil, fmt.Errorf("template lock: %w", err)
	}
	unlock := func() {
		_, _ = lock.Exec(context.Background(), `SELECT pg_advisory_unlock($1)`, templateLockKey)
		lock.Release()
	}
	tpl := "shujiao_tpl_" + randomName()
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{tpl}.Sanitize()); err != nil {
		unlock()
		_ = stopAll()
		return nil, fmt.Errorf("create template database: %w", err)
	}
	stops = append(stops, func() error { return dropDatabase(context.Background(), admin, tpl) })
	err = migrateTemplate(ctx, base, tpl)
	unlock()
	if err != nil {
		_ = stopAll()
		return nil, err
	}
	state.admin, state.baseURL, state.template = admin, base, tpl
	return stopAll, nil
}

func migrateTemplate(ctx context.Context, base, tpl string) error {
	u, err := withDatabase(base, tpl)
	if err != nil {
		return err
	}
	pool, err := postgres.Open(ctx, u)
	if err != nil {
		return err
	}
	defer pool.Close() // no connection may remain on a template being cloned
	if err := postgres.Migrate(ctx, pool, slog.New(slog.DiscardHandler)); err != nil {
		return fmt.Errorf("migrate template database: %w", err)
	}
	return nil
}

// NewDB returns a pool on a new database, a clone of the migrated template,
// for this test alone; the pool is closed and the database dropped when the
// test ends. It fails the test (never skips it) when the database cannot be
// had.
func NewDB(tb testing.TB) *pgxpool.Pool {
	tb.Helper()
	pool, _ := NewDBURL(tb)
	return pool
}

// NewDBURL is NewDB that also returns the new database's URL, for code under
// test that opens its own connections (a server started by a test).
func NewDBURL(tb testing.TB) (*pgxpool.Pool, string) {
	tb.Helper()
	if state.admin == nil {
		tb.Fatal("pgtest: no database server: call pgtest.Main(m) from TestMain")
	}
	ctx := context.Background()
	name := "shujiao_t_" + randomName()
	if err := cloneTemplate(ctx, name); err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	u, err := withDatabase(state.baseURL, name)
	if err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	pool, err := postgres.Open(ctx, u)
	if err != nil {
		_ = dropDatabase(ctx, state.admin, name)
		tb.Fatalf("pgtest: %v", err)
	}
	tb.Cleanup(func() {
		pool.Close()
		if err := dropDatabase(context.Background(), state.admin, name); err != nil {
			tb.Errorf("pgtest: %v", err)
		}
	})
	return pool, u
}

// cloneTemplate creates database name from the template. Clones are made one
// at a time: PostgreSQL refuses to copy a database that another CREATE
// DATABASE is reading (SQLSTATE 55006), which it retries.
func cloneTemplate(ctx context.Context, name string) error {
	state.mu.Lock()
	defer state.mu.Unlock()
	sql := "CREATE DATABASE " + pgx.Identifier{name}.Sanitize() + " TEMPLATE " + pgx.Identifier{state.template}.Sanitize()
	var err error
	for attempt := 0; attempt < 50; attempt++ {
		if _, err = state.admin.Exec(ctx, sql); err == nil {
			return nil
		}
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != "55006" {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("clone template database: %w", err)
}

func dropDatabase(ctx context.Context, admin *pgxpool.Pool, name string) error {
	if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("drop database %s: %w", name, err)
	}
	return nil
}

// withDatabase returns base with its database replaced by name. base is a
// postgres:// URL or a key=value connection string.
func withDatabase(base, name string) (string, error) {
	if strings.HasPrefix(base, "postgres://") || strings.HasPrefix(base, "postgresql://") {
		u, err := url.Parse(base)
		if err != nil {
			return "", fmt.Errorf("%s is not a valid URL", EnvURL)
		}
		u.Path = "/" + name
		u.RawPath = ""
		return u.String(), nil
	}
	return base + " dbname=" + name, nil
}

func randomName() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
