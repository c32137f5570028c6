package main

import (
	"context"
	"fmt"

	"github.com/shujiao/shujiao/anonymizer"
)

// runGen writes a synthetic Chinese population table (Issue 3, item 10):
//
//	shujiao gen --rows N --seed S [--out FILE] [--format csv|tsv|jsonl|xlsx|parquet]
//
// The table goes to stdout unless --out is given; the same seed always gives
// the same table.
func runGen(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags(env, "gen", "--rows N --seed S [--out FILE] [--format csv|tsv|jsonl|xlsx|parquet]")
	rows := fs.Int("rows", 1000, "number of rows to generate")
	seed := fs.Int64("seed", 1, "random seed: the same seed gives the same table")
	out := fs.String("out", "", "output file (default: stdout)")
	format := fs.String("format", "", "output format: csv, tsv, jsonl, xlsx or parquet (default: from --out's extension, else csv)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		if err == errHelp {
			return nil
		}
		return err
	}
	if len(pos) > 0 {
		return usageErrorf("gen: unexpected argument %q (usage: shujiao gen --rows N --seed S [--out FILE] [--format F])", pos[0])
	}
	if *rows < 0 {
		return usageErrorf("gen: --rows %d: want 0 or more", *rows)
	}
	f := anonymizer.FormatCSV
	switch {
	case *format != "":
		if f, err = anonymizer.ParseFormat(*format); err != nil {
			return usageErrorf("gen: --format: %s", err)
		}
	case *out != "":
		if ext := anonymizer.FormatFromPath(*out); ext != "" {
			f = ext
		}
	}
	if f == anonymizer.FormatXLSX && *rows > 1048575 {
		return usageErrorf("gen: --rows %d: an XLSX worksheet holds at most 1048575 rows; use csv or jsonl", *rows)
	}
	if *out == "" {
		if f == anonymizer.FormatXLSX && isTerminal(env.stdout) {
			return usageErrorf("gen: --format xlsx: refusing to write a workbook to a terminal; use --out FILE")
		}
		return anonymizer.Synthesize(env.stdout, *rows, *seed, f)
	}
	if err := anonymizer.SynthesizeFile(*out, *rows, *seed, f); err != nil {
		return fmt.Errorf("gen: %w", err)
	}
	return nil
}
