package main

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/market"
)

// demoPassword is the password of every demo user: the demo is for trying
// Shujiao on one's own machine, never for production.
const demoPassword = "shujiao-demo"

// runDemo seeds the demo world (idempotent: what exists is kept) and prints
// fresh API tokens for its users.
// shujiao demo [--data-dir ./var] [--json].
func runDemo(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags(env, "demo", "[--data-dir ./var] [--json]")
	dataDir := fs.String("data-dir", envOr(env, "SHUJIAO_DATA_DIR", "./var"), "data directory of the private PostgreSQL, used when DATABASE_URL is unset (env SHUJIAO_DATA_DIR)")
	asJSON := fs.Bool("json", false, "print the accounts and tokens as JSON")
	if _, err := parseFlags(fs, args); err != nil {
		if err == errHelp {
			return nil
		}
		return err
	}
	log := cliLogger(env)
	pool, cleanup, err := openDatabase(ctx, env, *dataDir)
	if err != nil {
		return err
	}
	defer cleanup()
	if err := postgres.Migrate(ctx, pool, log); err != nil {
		return err
	}
	a, err := newApp(ctx, pool, *dataDir, log)
	if err != nil {
		return err
	}
	defer a.close()
	w := &demoWorld{app: a, now: time.Now().UTC(), accounts: map[string]*demoAccount{}}
	for _, step := range demoSteps() {
		if err := step.run(ctx, w); err != nil {
			return fmt.Errorf("demo: %s: %w", step.name, err)
		}
		log.Info("demo: seeded", "step", step.name)
	}
	return printDemo(env, w, *asJSON)
}

// demoAccount is one demo user, the party it acts for, and a fresh token.
type demoAccount struct {
	Key   string        `json:"key"`
	Email string        `json:"email"`
	Role  market.Role   `json:"role"`
	Party market.Party  `json:"party"`
	Actor market.Actor  `json:"-"`
	Token string        `json:"token"`
	User  market.UserID `json:"user_id"`
}

func printDemo(env *cliEnv, w *demoWorld, asJSON bool) error {
	if asJSON {
		accts := make([]*demoAccount, 0, len(w.order))
		for _, k := range w.order {
			accts = append(accts, w.accounts[k])
		}
		return writeJSON(env.stdout, map[string]any{"password": demoPassword, "accounts": accts})
	}
	fmt.Fprintf(env.stdout, "Demo world ready. Every demo user's password is %q.\nFresh API tokens (valid 30 days; shown once):\n\n", demoPassword)
	tw := tabwriter.NewWriter(env.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "KEY\tROLE\tEMAIL\tTOKEN\tJURISDICTION\tPARTY")
	for _, k := range w.order {
		d := w.accounts[k]
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", d.Key, d.Role, d.Email, d.Token, d.Party.Jurisdiction, d.Party.Name)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "\nTry: curl -H 'Authorization: Bearer %s' http://localhost:8080/v1/me\n", w.accounts["seller-a"].Token)
	return nil
}
