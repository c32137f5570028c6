package main

import (
	"context"
	"errors"
	"fmt"
	"net"

	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/internal/httpapi"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/market"
)

// runServe serves the API until SIGINT or SIGTERM (ctx ends): then it stops
// accepting, drains the requests in flight and stops the private PostgreSQL
// if it started one.
// shujiao serve [--addr :8080] [--data-dir ./var] [--migrate=true].
func runServe(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags(env, "serve", "[--addr :8080] [--data-dir ./var] [--migrate=true]")
	addr := fs.String("addr", envOr(env, "SHUJIAO_ADDR", ":8080"), "address to listen on (env SHUJIAO_ADDR)")
	dataDir := fs.String("data-dir", envOr(env, "SHUJIAO_DATA_DIR", "./var"), "data directory: the private PostgreSQL when DATABASE_URL is unset, and stored files (env SHUJIAO_DATA_DIR)")
	migrate := fs.Bool("migrate", true, "apply pending migrations before serving")
	secure := fs.Bool("secure-cookies", env.getenv("SHUJIAO_SECURE_COOKIES") == "true", "mark the session cookie Secure on plain HTTP, behind a TLS proxy (env SHUJIAO_SECURE_COOKIES=true)")
	maxDepositText := fs.String("max-deposit", envOr(env, "SHUJIAO_MAX_DEPOSIT", market.DefaultMaxDeposit.String()), "the largest single simulated deposit, in yuan (env SHUJIAO_MAX_DEPOSIT)")
	if _, err := parseFlags(fs, args); err != nil {
		if err == errHelp {
			return nil
		}
		return err
	}
	maxDeposit, err := market.ParseMoney(*maxDepositText)
	if err != nil || !maxDeposit.Decimal().IsPositive() {
		return usageErrorf("serve: --max-deposit %q: want a positive amount of yuan such as 1000000000.00", *maxDepositText)
	}
	log := cliLogger(env)
	tuneServeGC(log)
	// De-identification jobs run beside requests for as long as serve
	// lives: no huge-page advice that would outlive their arrays
	// (anonymizer.SetHugePages).
	anonymizer.SetHugePages(false)
	pool, cluster, cleanup, err := openDatabaseCluster(ctx, env, *dataDir)
	if err != nil {
		return err
	}
	defer cleanup()
	if err := serveOwnsCluster(cluster, log); err != nil {
		return err
	}
	// A PostgreSQL that dies under serve is restarted, or serve exits
	// non-zero (serve_supervise.go); the watch ends before cleanup stops it.
	ctx, giveUp := context.WithCancelCause(ctx)
	watchCtx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	go superviseCluster(watchCtx, cluster, log, giveUp)
	if *migrate {
		if err := postgres.Migrate(ctx, pool, log); err != nil {
			return err
		}
	}
	a, err := newApp(ctx, pool, *dataDir, log)
	if err != nil {
		return err
	}
	defer a.close()
	replica, err := openReplica(ctx, env, log)
	if err != nil {
		return err
	}
	svc := a.services()
	deps := httpapi.Deps{Logger: log, DB: a.pool, Foreground: a.foreground}
	if replica != nil {
		defer replica.Close()
		if svc.Replica, err = replicaServices(replica); err != nil {
			return err
		}
		deps.Replica = replica
	}
	deps.Services = svc
	go watchDatabase(watchCtx, a.pool, log)
	go watchCalendar(watchCtx, a.pool, log) // wire_calendar.go
	srv := httpapi.New(httpapi.Config{Version: version, SecureCookies: *secure, MaxDeposit: maxDeposit}, deps)
	if err := a.mountWeb(srv, *secure); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return usageErrorf("serve: listen on %s: %s", *addr, oneLine(err.Error()))
	}
	stopProfile, err := startServeProfile(env)
	if err != nil {
		return err
	}
	defer stopProfile()
	log.Info("serving", "addr", ln.Addr().String(), "version", version)
	fmt.Fprintf(env.stdout, "shujiao serving on %s\n", baseURL(ln.Addr()))
	if err := srv.Serve(ctx, ln); err != nil {
		return err
	}
	stopWatch()
	// SIGTERM or SIGINT (since Go 1.26 a cause naming the signal, which
	// is a context.Canceled) drained the server: exit 0.
	if cause := context.Cause(ctx); cause != nil && !errors.Is(cause, context.Canceled) {
		return cause
	}
	return nil
}

// baseURL is the URL a local client reaches addr at.
func baseURL(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return "http://" + addr.String()
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}
