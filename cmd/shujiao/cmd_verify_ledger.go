package main

import (
	"context"
	"fmt"

	"github.com/shujiao/shujiao/internal/ledger"
	"github.com/shujiao/shujiao/internal/pgp"
	"github.com/shujiao/shujiao/internal/postgres"
)

const verifyLedgerSynopsis = "[--data-dir D] [--key PUB] [--json]"

// runVerifyLedger recomputes the transaction ledger from its rows: every
// leaf hash from its entry, every tree node, every signed head's root and
// signature (the platform key, or --key). A row updated, deleted, inserted
// or moved behind the server's back fails with the first bad entry named
// and exit code 1. The database is found as by serve: DATABASE_URL, else
// the private cluster under --data-dir.
func runVerifyLedger(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags(env, "verify-ledger", verifyLedgerSynopsis)
	dataDir := fs.String("data-dir", envOr(env, "SHUJIAO_DATA_DIR", "./var"), "data directory: the private PostgreSQL when DATABASE_URL is unset, and the platform key (env SHUJIAO_DATA_DIR)")
	keyPath := fs.String("key", "", "armored public key that signed the tree heads (default: the platform key under --data-dir)")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	pos, err := parseFlags(fs, args)
	if err != nil {
		if err == errHelp {
			return nil
		}
		return err
	}
	if len(pos) != 0 {
		return usageErrorf("verify-ledger: no arguments expected (usage: shujiao verify-ledger %s)", verifyLedgerSynopsis)
	}
	var key *pgp.Key
	if *keyPath != "" {
		key, err = pgp.LoadKeyFile(*keyPath)
	} else {
		key, err = pgp.LoadPlatformPublicKey(*dataDir)
	}
	if err != nil {
		return inputError(fmt.Errorf("verify-ledger: key: %w", err))
	}
	pool, cleanup, err := openDatabase(ctx, env, *dataDir)
	if err != nil {
		return err
	}
	defer cleanup()
	r, err := postgres.VerifyLedger(ctx, pool, key)
	if err != nil {
		return fmt.Errorf("verify-ledger: %w", err)
	}
	if *asJSON {
		if err := writeJSON(env.stdout, r); err != nil {
			return err
		}
	} else {
		printLedgerReport(env, r, key.Fingerprint())
	}
	if !r.OK {
		return failed("verify-ledger: the ledger was tampered with")
	}
	return nil
}

func printLedgerReport(env *cliEnv, r ledger.Report, fingerprint string) {
	w := env.stdout
	if r.OK {
		fmt.Fprintf(w, "ledger OK: %d entries in the tree, %d signed heads checked with key %s (latest over %d entries",
			r.TreeSize, r.HeadsChecked, fingerprint, r.LatestHead)
		if r.UnsignedLeaves > 0 {
			fmt.Fprintf(w, "; %d newer entries not signed yet", r.UnsignedLeaves)
		}
		fmt.Fprintln(w, ")")
		return
	}
	fb := r.FirstBad
	fmt.Fprintf(w, "ledger TAMPERED: first bad entry: leaf %d, entry %s: %s\n", fb.LeafIndex, fb.EntryID, fb.Message)
	fmt.Fprintf(w, "%d problems (tree of %d entries, %d signed heads)", r.ProblemCount, r.TreeSize, r.HeadsChecked)
	if r.ProblemCount > len(r.Problems) {
		fmt.Fprintf(w, ", the first %d:\n", len(r.Problems))
	} else {
		fmt.Fprintln(w, ":")
	}
	for _, p := range r.Problems {
		fmt.Fprintf(w, "  %-11s leaf %-6d %s\n", p.Kind, p.LeafIndex, p.Message)
	}
}
