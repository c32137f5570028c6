package main

import (
	"context"
	"fmt"

	"github.com/shujiao/shujiao/internal/ledger"
	"github.com/shujiao/shujiao/internal/pgp"
	"github.com/shujiao/shujiao/internal/postgres"
)

const verifyLedgerSynopsis = "[--data-dir D] [--key PUB] [--head FILE] [--heads-file FILE] [--json]"

// runVerifyLedger recomputes the transaction ledger from its rows: every
// leaf hash from its entry, every tree node, every signed head's root and
// signature (the platform key, or --key). A row updated, deleted, inserted
// or moved behind the server's back fails with the first bad entry named
// and exit code 1. The database is found as by serve: DATABASE_URL, else
// the private cluster under --data-dir.
//
// The log is also checked against witnessed heads kept outside the
// database: the head an auditor saved from GET /v1/ledger/sth (--head), or
// else every head serve wrote to the heads file; a wipe, rollback, fork or
// deleted head fails with a one-line reason. And the books are recomputed
// from the ledger: every account balance and every order's figures.
func runVerifyLedger(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags(env, "verify-ledger", verifyLedgerSynopsis)
	dataDir := fs.String("data-dir", envOr(env, "SHUJIAO_DATA_DIR", "./var"), "data directory: the private PostgreSQL when DATABASE_URL is unset, and the platform key (env SHUJIAO_DATA_DIR)")
	keyPath := fs.String("key", "", "armored public key that signed the tree heads (default: the platform key under --data-dir)")
	headPath := fs.String("head", "", "a signed tree head saved from GET /v1/ledger/sth (JSON): the ledger must still hold it")
	headsPath := fs.String("heads-file", "", "the heads file serve appends to (default $"+headsFileEnv+", else <data-dir>/ledger/heads.jsonl); read when --head is not given")
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
	witnessed, note, err := witnessedHeads(env, *headPath, *headsPath, *dataDir)
	if err != nil {
		return inputError(fmt.Errorf("verify-ledger: %w", err))
	}
	pool, cleanup, err := openDatabase(ctx, env, *dataDir)
	if err != nil {
		return err
	}
	defer cleanup()
	r, err := postgres.VerifyLedgerWitnessed(ctx, pool, key, witnessed)
	if err != nil {
		return fmt.Errorf("verify-ledger: %w", err)
	}
	books, err := postgres.VerifyBooks(ctx, pool)
	if err != nil {
		return fmt.Errorf("verify-ledger: %w", err)
	}
	r.Add(books...)
	if note != "" && !*asJSON {
		fmt.Fprintln(env.stderr, note)
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
		fmt.Fprintf(w, "ledger OK: %d entries in the tree, %d signed heads checked with key %s, %d witnessed heads held, the books agree (latest over %d entries",
			r.TreeSize, r.HeadsChecked, fingerprint, r.WitnessesChecked, r.LatestHead)
		if r.UnsignedLeaves > 0 {
			fmt.Fprintf(w, "; %d newer entries not signed yet", r.UnsignedLeaves)
		}
		fmt.Fprintln(w, ")")
		return
	}
	fb := r.FirstBad
	switch fb.Kind {
	case ledger.ProblemWitness, ledger.ProblemBalance, ledger.ProblemOrder:
		fmt.Fprintf(w, "ledger TAMPERED: %s\n", fb.Message)
	default:
		fmt.Fprintf(w, "ledger TAMPERED: first bad entry: leaf %d, entry %s: %s\n", fb.LeafIndex, fb.EntryID, fb.Message)
	}
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
