package postgres

import (
	"context"
	"fmt"
	"runtime"
	"strings"

	pgxdecimal "github.com/jackc/pgx-shopspring-decimal"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// DefaultMaxConns is the size of a pool whose connection string sets no
// pool_max_conns: 4 connections per CPU, at least 16. pgx's own default
// (4 on 2 cores, at least 4) left order placement waiting for a
// connection while River's listener and job fetches held some (issue 18).
// Set pool_max_conns in DATABASE_URL to choose (docs/deployment.md): N
// servers on one database use up to N × that many connections (the
// owner's pool and the server role's pool each, plus River's listener).
func DefaultMaxConns() int32 {
	return int32(max(16, 4*runtime.NumCPU()))
}

// Open connects a pool to the database at url (a postgres:// URL or a
// key=value connection string) and checks that it answers. Every
// connection has numeric registered as shopspring decimal, so money never
// passes through a float. The caller closes the pool.
func Open(ctx context.Context, url string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// The parse error may quote the URL, password included: do not wrap it.
		return nil, fmt.Errorf("open database: the connection string is not valid")
	}
	if !strings.Contains(url, "pool_max_conns") {
		cfg.MaxConns = DefaultMaxConns()
	}
	cfg.AfterConnect = func(ctx context.Context, conn *pgx.Conn) error {
		pgxdecimal.Register(conn.TypeMap())
		registerUUID(conn.TypeMap())
		return nil
	}
	if cfg.ConnConfig.RuntimeParams == nil {
		cfg.ConnConfig.RuntimeParams = map[string]string{}
	}
	cfg.ConnConfig.RuntimeParams["timezone"] = "UTC"
	cfg.ConnConfig.RuntimeParams["application_name"] = "shujiao"
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open database %s/%s: %w", cfg.ConnConfig.Host, cfg.ConnConfig.Database, err)
	}
	return pool, nil
}
