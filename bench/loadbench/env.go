package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/shujiao/shujiao/internal/pglocal"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/market"
)

// env is the running system under test: PostgreSQL, the API server on a
// loopback port, and what the seeding needs.
type env struct {
	dir      string
	cluster  *pglocal.Cluster
	owner    *pgxpool.Pool
	accounts *market.Accounts
	base     string
	client   *http.Client
	cancel   context.CancelFunc
	done     chan struct{}
	servePid int // the shujiao serve under test
}

// startEnv starts PostgreSQL under a temporary directory, migrates it and
// serves the API on 127.0.0.1 with pools sized for clients.
func startEnv(ctx context.Context, log *slog.Logger, clients int, durable bool) (*env, error) {
	dir, err := os.MkdirTemp("", "shujiao-loadbench-")
	if err != nil {
		return nil, err
	}
	e := &env{dir: dir, done: make(chan struct{})}
	ok := false
	defer func() {
		if !ok {
			e.close()
		}
	}()
	opts := pglocal.Options{Ephemeral: !durable, MaxConnections: 4*clients + 40}
	if statements {
		opts.Settings = statementSettings
	}
	if e.cluster, err = pglocal.Start(ctx, dir, opts); err != nil {
		return nil, err
	}
	conns := strconv.Itoa(clients + 4)
	if e.owner, err = postgres.Open(ctx, e.cluster.URL("postgres")+"&pool_max_conns="+conns); err != nil {
		return nil, err
	}
	if err := postgres.Migrate(ctx, e.owner, log); err != nil {
		return nil, err
	}
	if statements {
		if _, err := e.owner.Exec(ctx, `CREATE EXTENSION IF NOT EXISTS pg_stat_statements`); err != nil {
			return nil, fmt.Errorf("-statements: %w", err)
		}
	}
	e.accounts = market.NewAccounts(postgres.NewAccountStore(e.owner), market.AccountsOptions{
		Password: market.PasswordParams{Memory: 64, Time: 1, Threads: 1}})
	// The server under test is `shujiao serve` itself, built from this
	// tree and wired by the same code as in production (cmd/shujiao
	// wire*.go), on this PostgreSQL through DATABASE_URL.
	bin := filepath.Join(dir, "shujiao")
	if serveBinary != "" {
		bin = serveBinary // -serve-binary: another build, on this tree's schema
	} else {
		build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/shujiao")
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			return nil, fmt.Errorf("build shujiao: %w", err)
		}
	}
	var profilePath string
	if serverProfile != "" {
		if profilePath, err = filepath.Abs(serverProfile); err != nil {
			return nil, err
		}
	}
	sctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	serve := exec.CommandContext(sctx, bin, "serve", "--addr", "127.0.0.1:0", "--data-dir", dir, "--migrate=false")
	serve.Env = append(os.Environ(), "DATABASE_URL="+e.cluster.URL("postgres")+"&pool_max_conns="+conns)
	if serverProfile != "" {
		serve.Env = append(serve.Env, "SHUJIAO_CPUPROFILE="+profilePath)
	}
	serve.Stderr = io.Discard // a request the benchmark cancels at the end of a phase is not an error of the system under test
	serve.Cancel = func() error { return serve.Process.Signal(os.Interrupt) }
	serve.WaitDelay = time.Minute
	out, err := serve.StdoutPipe()
	if err != nil {
		cancel()
		return nil, err
	}
	if err := serve.Start(); err != nil {
		cancel()
		return nil, fmt.Errorf("start shujiao serve: %w", err)
	}
	e.cancel = cancel
	e.servePid = serve.Process.Pid
	go func() {
		defer close(e.done)
		_ = serve.Wait()
	}()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		return nil, fmt.Errorf("shujiao serve printed no address: %w", err)
	}
	go func() { _, _ = io.Copy(io.Discard, out) }()
	e.base = strings.TrimSpace(strings.TrimPrefix(line, "shujiao serving on "))
	e.client = &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: clients + 4, MaxConnsPerHost: clients + 4}}
	ok = true
	return e, nil
}

// close stops the server and PostgreSQL and removes the directory.
func (e *env) close() {
	if e.cancel != nil {
		e.cancel()
		<-e.done
	}
	if e.owner != nil {
		e.owner.Close()
	}
	if e.cluster != nil {
		if err := e.cluster.Stop(); err != nil {
			fmt.Fprintf(os.Stderr, "loadbench: stop PostgreSQL: %v\n", err)
		}
	}
	os.RemoveAll(e.dir)
}

// pgbenchBinary finds pgbench: beside the server binaries (through a
// symlinked initdb too), under /usr/lib/postgresql, or on PATH.
func pgbenchBinary(bindir string) (string, error) {
	cands := []string{filepath.Join(bindir, "pgbench")}
	if real, err := filepath.EvalSymlinks(filepath.Join(bindir, "initdb")); err == nil {
		cands = append(cands, filepath.Join(filepath.Dir(real), "pgbench"))
	}
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pgbench")
	slices.Reverse(found)
	cands = append(cands, found...)
	for _, c := range cands {
		if st, err := os.Stat(c); err == nil && !st.IsDir() {
			return c, nil
		}
	}
	return exec.LookPath("pgbench")
}

var tpsLine = regexp.MustCompile(`tps = ([0-9.]+) \(without initial connection time\)`)

// pgbench initializes a pgbench database at scale and runs the TPC-B-like
// workload with clients for d; it returns the TPS pgbench reports.
func (e *env) pgbench(ctx context.Context, clients int, d time.Duration, scale int) (float64, error) {
	if _, err := e.owner.Exec(ctx, `CREATE DATABASE pgbench`); err != nil {
		return 0, err
	}
	url := e.cluster.URL("pgbench")
	bin, err := pgbenchBinary(e.cluster.BinDir())
	if err != nil {
		return 0, err
	}
	if out, err := exec.CommandContext(ctx, bin, "-i", "-q", "-s", strconv.Itoa(scale), url).CombinedOutput(); err != nil {
		return 0, fmt.Errorf("pgbench -i: %w: %s", err, out)
	}
	threads := min(clients, 2)
	out, err := exec.CommandContext(ctx, bin, "-c", strconv.Itoa(clients), "-j", strconv.Itoa(threads),
		"-T", strconv.Itoa(int(d.Seconds())), url).CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("pgbench: %w: %s", err, out)
	}
	m := tpsLine.FindSubmatch(out)
	if m == nil {
		return 0, fmt.Errorf("pgbench printed no TPS: %s", out)
	}
	return strconv.ParseFloat(string(m[1]), 64)
}
