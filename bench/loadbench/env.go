package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/shujiao/shujiao/internal/blob"
	"github.com/shujiao/shujiao/internal/delivery"
	"github.com/shujiao/shujiao/internal/httpapi"
	"github.com/shujiao/shujiao/internal/jobs"
	"github.com/shujiao/shujiao/internal/pglocal"
	"github.com/shujiao/shujiao/internal/pgp"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/market"
)

// env is the running system under test: PostgreSQL, the API server on a
// loopback port, and what the seeding needs.
type env struct {
	dir      string
	cluster  *pglocal.Cluster
	owner    *pgxpool.Pool
	app      *pgxpool.Pool
	accounts *market.Accounts
	key      *pgp.Key
	base     string
	client   *http.Client
	cancel   context.CancelFunc
	done     chan struct{}
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
	if e.cluster, err = pglocal.Start(ctx, dir, pglocal.Options{Ephemeral: !durable, MaxConnections: 4*clients + 40}); err != nil {
		return nil, err
	}
	conns := strconv.Itoa(clients + 4)
	if e.owner, err = postgres.Open(ctx, e.cluster.URL("postgres")+"&pool_max_conns="+conns); err != nil {
		return nil, err
	}
	if err := postgres.Migrate(ctx, e.owner, log); err != nil {
		return nil, err
	}
	if e.app, err = postgres.OpenAppPool(ctx, e.owner); err != nil {
		return nil, err
	}
	blobs, err := blob.Open(dir)
	if err != nil {
		return nil, err
	}
	if e.key, err = pgp.Generate("Shujiao load benchmark", "platform@loadbench.test"); err != nil {
		return nil, err
	}
	e.accounts = market.NewAccounts(postgres.NewAccountStore(e.owner), market.AccountsOptions{
		Password: market.PasswordParams{Memory: 64, Time: 1, Threads: 1}})
	runner := jobs.New(postgres.NewJobStore(e.owner), &jobs.Deidentifier{Blobs: blobs, Key: e.key, Version: "loadbench"},
		jobs.Config{Workers: 1, Poll: 100 * time.Millisecond, Logger: log})
	// The server's access log stays quiet: a request the benchmark cancels
	// at the end of a phase is not an error of the system under test.
	srv := httpapi.New(httpapi.Config{}, httpapi.Deps{Logger: slog.New(slog.DiscardHandler), DB: e.owner, Services: httpapi.Services{
		Accounts: e.accounts,
		Stores:   postgres.NewStores(e.app),
		Listings: &httpapi.ListingServices{Blobs: blobs, Jobs: runner},
		Ledger:   &httpapi.LedgerServices{Log: postgres.NewLedgerLog(e.app, nil)},
		Orders:   &httpapi.OrderServices{Key: e.key, Delivery: delivery.New(postgres.NewDeliveryStore(e.app), blobs, e.key, 0, nil), Orders: market.NewOrders(postgres.NewOrderStore(e.app), market.DefaultOrderConfig(), nil)},
	}})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	sctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	e.cancel = cancel
	go func() {
		defer close(e.done)
		go func() { _ = runner.Run(sctx) }()
		if err := srv.Serve(sctx, ln); err != nil {
			log.Error("serve", "error", err.Error())
		}
	}()
	e.base = "http://" + ln.Addr().String()
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
	for _, p := range []*pgxpool.Pool{e.app, e.owner} {
		if p != nil {
			p.Close()
		}
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
