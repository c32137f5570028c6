package main

import (
	"context"
	"fmt"

	"github.com/shujiao/shujiao/internal/postgres"
)

// runMigrate applies, rolls back or lists the embedded migrations:
// shujiao migrate up|down|status [--data-dir DIR] [--json].
func runMigrate(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags(env, "migrate", "up|down|status [--data-dir DIR] [--json]")
	dataDir := fs.String("data-dir", envOr(env, "SHUJIAO_DATA_DIR", "./var"), "data directory of the private PostgreSQL, used when DATABASE_URL is unset (env SHUJIAO_DATA_DIR)")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	pos, err := parseFlags(fs, args)
	if err != nil {
		if err == errHelp {
			return nil
		}
		return err
	}
	if len(pos) != 1 || (pos[0] != "up" && pos[0] != "down" && pos[0] != "status") {
		return usageErrorf("migrate: want one of up, down, status")
	}
	pool, cleanup, err := openDatabase(ctx, env, *dataDir)
	if err != nil {
		return err
	}
	defer cleanup()
	m, err := postgres.NewMigrator(pool, cliLogger(env))
	if err != nil {
		return err
	}
	defer m.Close()
	switch pos[0] {
	case "up":
		vs, err := m.Up(ctx)
		if err != nil {
			return err
		}
		if err := postgres.StoreShippedRuleSets(ctx, pool); err != nil { // a newer shipped rule set becomes current
			return err
		}
		if *asJSON {
			return writeJSON(env.stdout, map[string]any{"applied": vs})
		}
		fmt.Fprintf(env.stdout, "applied %d migrations %v\n", len(vs), vs)
	case "down":
		v, err := m.Down(ctx)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.stdout, map[string]any{"rolled_back": v})
		}
		fmt.Fprintf(env.stdout, "rolled back migration %d\n", v)
	case "status":
		st, err := m.Status(ctx)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.stdout, st)
		}
		for _, s := range st {
			state := "pending"
			if s.Applied {
				state = "applied " + s.AppliedAt
			}
			fmt.Fprintf(env.stdout, "%05d  %-40s %s\n", s.Version, s.Name, state)
		}
	}
	return nil
}
