package postgres

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"github.com/shujiao/shujiao/migrations"
)

// Migrator applies the SQL migrations embedded in package migrations with
// goose v3, with River's schema as Go migration 00150 (migrate_river.go).
// Concurrent migrators on one database take turns (a session
// advisory lock). Migrations numbered below the newest applied one are still
// applied (out of order allowed): areas of the code own separate number
// ranges and land in any order.
type Migrator struct {
	p *goose.Provider
}

// NewMigrator returns a migrator over pool; logger receives one line per
// applied migration (nil: discard). Close it after use.
func NewMigrator(pool *pgxpool.Pool, logger *slog.Logger) (*Migrator, error) {
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return nil, fmt.Errorf("migrator: %w", err)
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	p, err := goose.NewProvider(goose.DialectPostgres, stdlib.OpenDBFromPool(pool), migrations.FS,
		goose.WithSessionLocker(locker),
		goose.WithAllowOutofOrder(true),
		goose.WithDisableGlobalRegistry(true),
		goose.WithSlog(logger),
		goose.WithGoMigrations(riverMigration(pool)),
	)
	if err != nil {
		return nil, fmt.Errorf("migrator: %w", err)
	}
	return &Migrator{p: p}, nil
}

// Close releases the migrator's database handle (not the pool).
func (m *Migrator) Close() error { return m.p.Close() }

// Up applies every pending migration and returns the versions applied.
func (m *Migrator) Up(ctx context.Context) ([]int64, error) {
	res, err := m.p.Up(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate up: %w", err)
	}
	vs := make([]int64, 0, len(res))
	for _, r := range res {
		vs = append(vs, r.Source.Version)
	}
	return vs, nil
}

// Down rolls back the newest applied migration and returns its version (0
// when nothing was applied).
func (m *Migrator) Down(ctx context.Context) (int64, error) {
	r, err := m.p.Down(ctx)
	if err != nil {
		return 0, fmt.Errorf("migrate down: %w", err)
	}
	if r == nil {
		return 0, nil
	}
	return r.Source.Version, nil
}

// MigrationStatus is one migration and whether it is applied.
type MigrationStatus struct {
	Version int64  `json:"version"`
	Name    string `json:"name"`
	Applied bool   `json:"applied"`
	// AppliedAt is RFC 3339, empty when pending.
	AppliedAt string `json:"applied_at,omitempty"`
}

// Status lists every known migration in version order.
func (m *Migrator) Status(ctx context.Context) ([]MigrationStatus, error) {
	st, err := m.p.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate status: %w", err)
	}
	out := make([]MigrationStatus, 0, len(st))
	for _, s := range st {
		ms := MigrationStatus{Version: s.Source.Version, Name: baseName(s.Source.Path), Applied: s.State == goose.StateApplied}
		if ms.Version == RiverMigrationVersion && ms.Name == "" {
			ms.Name = fmt.Sprintf("river_schema_v%d (rivermigrate)", RiverSchemaVersion)
		}
		if ms.Applied && !s.AppliedAt.IsZero() {
			ms.AppliedAt = s.AppliedAt.UTC().Format("2006-01-02T15:04:05Z07:00")
		}
		out = append(out, ms)
	}
	return out, nil
}

// Migrate applies every pending migration to the database behind pool
// and stores the rule sets shipped with this build that are newer than
// the stored ones.
func Migrate(ctx context.Context, pool *pgxpool.Pool, logger *slog.Logger) error {
	m, err := NewMigrator(pool, logger)
	if err != nil {
		return err
	}
	defer m.Close()
	if _, err = m.Up(ctx); err != nil {
		return err
	}
	// a newer rule set shipped with this build becomes current (ruleset.go)
	return StoreShippedRuleSets(ctx, pool)
}

func baseName(p string) string {
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == '/' {
			return p[i+1:]
		}
	}
	return p
}
