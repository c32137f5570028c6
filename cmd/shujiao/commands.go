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
		"version": {"print the version and commit", runVersion},
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
