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
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/shujiao/shujiao/internal/pglocal"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/market"
)

// env is the system under test: PostgreSQL, its data directory (blobs and
// the platform key, shared by the seeding server and the sealing), and,
// while seeding, `shujiao serve` on a loopback port.
type env struct {
	dir      string
	cluster  *pglocal.Cluster
	owner    *pgxpool.Pool
	app      *pgxpool.Pool // the server role's pool, as serve's
	accounts *market.Accounts
	base     string
	client   *http.Client
	cancel   context.CancelFunc
	done     chan struct{}
}

// startEnv starts PostgreSQL under a temporary directory and migrates it.
func startEnv(ctx context.Context, log *slog.Logger, durable bool) (*env, error) {
	dir, err := os.MkdirTemp("", "shujiao-sealbench-")
	if err != nil {
		return nil, err
	}
	e := &env{dir: dir}
	ok := false
	defer func() {
		if !ok {
			e.close()
		}
	}()
	if e.cluster, err = pglocal.Start(ctx, dir, pglocal.Options{Ephemeral: !durable, MaxConnections: 100}); err != nil {
		return nil, err
	}
	if e.owner, err = postgres.Open(ctx, e.cluster.URL("postgres")+"&pool_max_conns=12"); err != nil {
		return nil, err
	}
	if err := postgres.Migrate(ctx, e.owner, log); err != nil {
		return nil, err
	}
	if e.app, err = postgres.OpenAppPool(ctx, e.owner); err != nil {
		return nil, err
	}
	e.accounts = market.NewAccounts(postgres.NewAccountStore(e.owner), market.AccountsOptions{
		Password: market.PasswordParams{Memory: 64, Time: 1, Threads: 1}})
	ok = true
	return e, nil
}

// serve builds `shujiao serve` from this tree and starts it on the data
// directory, for seeding through the API (certified listings).
func (e *env) serve(ctx context.Context) error {
	bin := filepath.Join(e.dir, "shujiao")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/shujiao")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("build shujiao: %w", err)
	}
	sctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	cmd := exec.CommandContext(sctx, bin, "serve", "--addr", "127.0.0.1:0", "--data-dir", e.dir, "--migrate=false")
	cmd.Env = append(os.Environ(), "DATABASE_URL="+e.cluster.URL("postgres")+"&pool_max_conns=8")
	cmd.Stderr = io.Discard
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = time.Minute
	out, err := cmd.StdoutPipe()
	if err != nil {
		cancel()
		return err
	}
	if err := cmd.Start(); err != nil {
		cancel()
		return fmt.Errorf("start shujiao serve: %w", err)
	}
	e.cancel, e.done = cancel, make(chan struct{})
	go func() {
		defer close(e.done)
		_ = cmd.Wait()
	}()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		return fmt.Errorf("shujiao serve printed no address: %w", err)
	}
	go func() { _, _ = io.Copy(io.Discard, out) }()
	e.base = strings.TrimSpace(strings.TrimPrefix(line, "shujiao serving on "))
	e.client = &http.Client{Timeout: 5 * time.Minute}
	return nil
}

// stopServe stops the seeding server (its River client with it): from
// then on only this process's River client seals.
func (e *env) stopServe() {
	if e.cancel != nil {
		e.cancel()
		<-e.done
		e.cancel = nil
	}
}

// close stops the server and PostgreSQL and removes the directory.
func (e *env) close() {
	e.stopServe()
	if e.app != nil {
		e.app.Close()
	}
	if e.owner != nil {
		e.owner.Close()
	}
	if e.cluster != nil {
		if err := e.cluster.Stop(); err != nil {
			fmt.Fprintf(os.Stderr, "sealbench: stop PostgreSQL: %v\n", err)
		}
	}
	os.RemoveAll(e.dir)
}
