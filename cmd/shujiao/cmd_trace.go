package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/internal/blob"
	"github.com/shujiao/shujiao/internal/trace"
	"github.com/shujiao/shujiao/market"
)

const traceSynopsis = "LEAK [--listing ID] [--data-dir D] [--json]"

// runTrace reads a leaked table (CSV, TSV, XLSX or JSON Lines, UTF-8 or
// GB18030) and scores it against every fingerprinted copy the platform
// delivered (or one listing's): the verdict, traced or inconclusive, and
// the candidate orders with their false-match probabilities
// (docs/fingerprint.md). The database is found as by serve: DATABASE_URL,
// else the private cluster under --data-dir; the releases and the platform
// fingerprint key come from --data-dir. Whoever runs it holds the
// platform's data directory: it traces with the regulator's authority, as
// POST /v1/regulator/trace does. An unreadable leak is bad input (exit 2).
func runTrace(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags(env, "trace", traceSynopsis)
	dataDir := fs.String("data-dir", envOr(env, "SHUJIAO_DATA_DIR", "./var"), "data directory: the private PostgreSQL when DATABASE_URL is unset, the certified releases and the platform key (env SHUJIAO_DATA_DIR)")
	listingFlag := fs.String("listing", "", "trace against this listing's copies only (a listing ID)")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	pos, err := parseFlags(fs, args)
	if err != nil {
		if err == errHelp {
			return nil
		}
		return err
	}
	if len(pos) != 1 {
		return usageErrorf("trace: want one LEAK file (usage: shujiao trace %s)", traceSynopsis)
	}
	var listing uuid.UUID
	if *listingFlag != "" {
		if listing, err = uuid.Parse(*listingFlag); err != nil {
			return usageErrorf("trace: --listing %q: not a listing ID", *listingFlag)
		}
	}
	data, err := os.ReadFile(pos[0])
	if err != nil {
		return inputError(fmt.Errorf("trace: %w", err))
	}
	blobs, err := blob.Open(*dataDir)
	if err != nil {
		return inputError(fmt.Errorf("trace: %w", err))
	}
	pool, cleanup, err := openDatabase(ctx, env, *dataDir)
	if err != nil {
		return err
	}
	defer cleanup()
	svc := newTraceService(pool, blobs)
	rep, err := svc.Trace(ctx, market.Actor{Roles: []market.Role{market.RoleRegulator}}, trace.Leak{Name: filepath.Base(pos[0]), Data: data}, listing)
	var me *market.Error
	if errors.As(err, &me) && (errors.Is(err, market.ErrInvalid) || errors.Is(err, market.ErrNotFound)) {
		return inputError(fmt.Errorf("trace: %s: %s", pos[0], me.Message))
	}
	if err != nil {
		return fmt.Errorf("trace: %w", err)
	}
	if *asJSON {
		return writeJSON(env.stdout, rep)
	}
	printTraceReport(env, rep)
	return nil
}

// printTraceReport prints the verdict, the candidates and the columns read.
func printTraceReport(env *cliEnv, r *trace.Report) {
	w := env.stdout
	fmt.Fprintf(w, "%s: %s — %d rows, %d columns, checked against %d delivered copies\n", r.Leak.Name, r.Verdict, r.Leak.Rows, len(r.Leak.Columns), r.CopiesChecked)
	for _, c := range r.Candidates {
		mark := " "
		if c.Named {
			mark = "*"
		}
		fmt.Fprintf(w, "%s order %s  party %s  score %d/%d  false-match probability %.3g\n", mark, c.OrderID, c.PartyID, c.Score, c.Marks, c.FalseMatchProbability)
	}
	for _, rel := range r.Releases {
		for _, col := range rel.Columns {
			if col.Note != "" {
				fmt.Fprintf(w, "  %s (%s): %s\n", col.Release, col.Method, col.Note)
				continue
			}
			fmt.Fprintf(w, "  %s (%s) read from leaked column %q: %d marks\n", col.Release, col.Method, col.Leak, col.Marks)
		}
	}
}
