package postgres

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/pressly/goose/v3"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
)

// RiverMigrationVersion is the goose version of the migration that builds
// River's tables (the job queue of internal/jobs).
const RiverMigrationVersion = 150

// RiverSchemaVersion is the River schema version migration 00150 brings the
// database to: the newest of River v0.51.2. A River upgrade that brings
// schema versions of its own adds a goose migration with the new target.
const RiverSchemaVersion = 8

// riverMigration is goose migration 00150: River's own migrator
// (rivermigrate) applies River's schema up to RiverSchemaVersion, or takes
// it away on the way down. River's SQL stays River's (it keeps its
// versions in river_migration, as River's tools expect), while `shujiao
// migrate` remains the one command that builds the database, in one order
// with the project's migrations and under goose's lock. Each River version
// is applied in its own transaction by rivermigrate; a run that stopped
// half way resumes where it stopped.
func riverMigration(pool *pgxpool.Pool) *goose.Migration {
	run := func(direction rivermigrate.Direction, target int) func(context.Context, *sql.DB) error {
		return func(ctx context.Context, _ *sql.DB) error {
			m, err := rivermigrate.New(riverpgxv5.New(pool), nil)
			if err != nil {
				return fmt.Errorf("river migrator: %w", err)
			}
			if _, err := m.Migrate(ctx, direction, &rivermigrate.MigrateOpts{TargetVersion: target}); err != nil {
				return fmt.Errorf("river schema %s to version %d: %w", direction, target, err)
			}
			return nil
		}
	}
	return goose.NewGoMigration(RiverMigrationVersion,
		&goose.GoFunc{RunDB: run(rivermigrate.DirectionUp, RiverSchemaVersion)},
		&goose.GoFunc{RunDB: run(rivermigrate.DirectionDown, -1)})
}
