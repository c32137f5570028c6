package main

import (
	"context"
	"fmt"
	"runtime/debug"
)

// version and commit are set at build time with -ldflags "-X main.version=… -X main.commit=…".
var (
	version = "0.1.0-dev"
	commit  = ""
)

// buildCommit returns the commit the binary was built from, from -ldflags or
// the Go build info, or "unknown".
func buildCommit() string {
	if commit != "" {
		return commit
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" {
				return s.Value
			}
		}
	}
	return "unknown"
}

func runVersion(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags(env, "version", "")
	if _, err := parseFlags(fs, args); err != nil {
		if err == errHelp {
			return nil
		}
		return err
	}
	fmt.Fprintf(env.stdout, "shujiao %s (commit %s)\n", version, buildCommit())
	return nil
}
