// Command shujiao is the Shujiao data exchange: the server, its migrations and
// demo data, and the engines offline (anonymize, detect, check-release, …).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// run executes one shujiao command. It is what main calls and what the
// end-to-end tests call, with their own arguments and writers.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	env := &cliEnv{stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		printUsage(stdout)
		return nil
	}
	cmd, ok := commandTable()[args[0]]
	if !ok {
		printUsage(stderr)
		return usageErrorf("unknown command %q", args[0])
	}
	return cmd.run(ctx, env, args[1:])
}

// exitCode prints err as one line and returns the process exit code:
// 0 for success, 2 for bad input or usage, 1 for anything else.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	var ce *cliError
	if errors.As(err, &ce) {
		if !ce.silent {
			fmt.Fprintln(stderr, "shujiao: "+oneLine(ce.Error()))
		}
		return ce.code
	}
	if errors.Is(err, context.Canceled) {
		return 130
	}
	fmt.Fprintln(stderr, "shujiao: "+oneLine(err.Error()))
	return 1
}
