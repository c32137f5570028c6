package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"
)

// cliEnv is what a command may use of the process: its streams and its
// environment. Tests pass their own.
type cliEnv struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
}

// isTerminal reports whether w is a terminal (progress bars are drawn only then).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// cliError is an error with the process exit code it calls for.
type cliError struct {
	code   int
	err    error
	silent bool // already reported (for example a check that printed its verdict)
}

func (e *cliError) Error() string { return e.err.Error() }
func (e *cliError) Unwrap() error { return e.err }

// usageErrorf reports bad input or usage: exit code 2.
func usageErrorf(format string, a ...any) error {
	return &cliError{code: 2, err: fmt.Errorf(format, a...)}
}

// inputError wraps err (already naming file, line and field) as bad input: exit code 2.
func inputError(err error) error {
	if err == nil {
		return nil
	}
	return &cliError{code: 2, err: err}
}

// failed reports a check that ran and did not pass, its verdict already
// printed: exit code 1 and nothing more on stderr.
func failed(format string, a ...any) error {
	return &cliError{code: 1, err: fmt.Errorf(format, a...), silent: true}
}

// oneLine folds a message onto one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// newFlags returns a flag set that reports its errors as usage errors
// instead of exiting, and prints usage to stderr on --help.
func newFlags(env *cliEnv, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.stderr, "usage: shujiao %s %s\n\nflags:\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args with fs, allowing flags after positional
// arguments (shujiao detect FILE --json). It returns the positional
// arguments. -h/--help returns errHelp, which run treats as success.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if err == flag.ErrHelp {
				return nil, errHelp
			}
			return nil, usageErrorf("%s: %s", fs.Name(), oneLine(err.Error()))
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if rest[0] == "--" {
			return append(pos, rest[1:]...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// errHelp is returned by parseFlags when help was asked for; commands return
// nil on it.
var errHelp = &cliError{code: 0, err: fmt.Errorf("help"), silent: true}

// writeJSON writes v as indented JSON followed by a newline.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// stringList is a repeatable or comma-separated flag value.
type stringList []string

func (s *stringList) String() string { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error {
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			*s = append(*s, p)
		}
	}
	return nil
}

// repeated is a repeatable flag value that keeps each occurrence whole
// (for --hierarchy col=file, where a file name may hold a comma).
type repeated []string

func (s *repeated) String() string     { return strings.Join(*s, " ") }
func (s *repeated) Set(v string) error { *s = append(*s, v); return nil }
