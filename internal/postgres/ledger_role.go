package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// AppRole is the database role the server works as (created by migration
// 00020): it may read and write the market's tables, but only SELECT and
// INSERT the ledger's and the money postings' — never UPDATE, DELETE or
// TRUNCATE them.
const AppRole = "shujiao_app"

// OpenAppPool returns a second pool on owner's database whose every
// connection runs SET ROLE shujiao_app after connecting (and keeps owner's
// other settings, numeric as decimal included). Use the owner's pool to
// migrate, this one to serve. The login role must be a superuser or a
// member of shujiao_app (migration 00020 grants it to the migrating role).
// The caller closes the pool.
func OpenAppPool(ctx context.Context, owner *pgxpool.Pool) (*pgxpool.Pool, error) {
	cfg := owner.Config()
	prev := cfg.AfterConnect
	cfg.AfterConnect = func(ctx context.Context, conn *pgx.Conn) error {
		if prev != nil {
			if err := prev(ctx, conn); err != nil {
				return err
			}
		}
		_, err := conn.Exec(ctx, "SET ROLE "+AppRole)
		return err
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open %s pool: %w", AppRole, err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open %s pool: %w", AppRole, err)
	}
	return pool, nil
}
