package main

import (
	"context"
	"fmt"
	"io"
	"sort"
)

// command is one shujiao subcommand.
type command struct {
	summary string
	run     func(ctx context.Context, env *cliEnv, args []string) error
}

// commandTable lists every subcommand. Each lives in its own file, cmd_<name>.go.
func commandTable() map[string]command {
	return map[string]command{
		"version":            {"print the version and commit", runVersion},
		"serve":              {"serve the API (a private PostgreSQL under --data-dir unless DATABASE_URL is set)", runServe},
		"migrate":            {"apply, roll back or list the database migrations: migrate up|down|status", runMigrate},
		"demo":               {"seed the demo world (regulator, sellers, buyers) and print fresh API tokens", runDemo},
		"anonymize":          {"de-identify a table: k-anonymity, l-diversity, t-closeness with the least loss (Tianjin Art. 29)", runAnonymize},
		"gen":                {"write a synthetic Chinese population table (for benchmarks and demos)", runGen},
		"detect":             {"find personal information in a table and propose column roles", runDetect},
		"penalty":            {"compute penalties of a case offline (Shaanxi Art. 74, 75, 77)", runPenalty},
		"check-listing":      {"pre-check a listing declaration against the Art. 36 gate (Shaanxi Art. 36)", runCheckListing},
		"audit-prices":       {"audit exported trades for price discrimination (Shaanxi Art. 37)", runAuditPrices},
		"keys":               {"create or print the platform OpenPGP key (keys init|export|show)", runKeys},
		"check-release":      {"the irreversibility gate: may this release be traded? (Tianjin Art. 29, GB/T 42460-2023)", runCheckRelease},
		"verify-certificate": {"verify a de-identification certificate, its signature and the release file", runVerifyCertificate},
		"open-delivery":      {"decrypt a downloaded delivery with your secret key, check the platform signature and the certificate, unpack it", runOpenDelivery},
		"trace":              {"trace a leaked table to the orders whose fingerprinted copies it came from", runTrace},
		"verify-ledger":      {"recompute the transaction ledger and check its signed heads; names the first tampered entry", runVerifyLedger},
	}
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "shujiao — a compliant data exchange (数交)")
	fmt.Fprintln(w, "\nusage: shujiao <command> [flags] [arguments]\n\ncommands:")
	t := commandTable()
	names := make([]string, 0, len(t))
	for n := range t {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-20s %s\n", n, t[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'shujiao <command> --help' for a command's flags.")
}
