package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
)

// AppRole is the database role the server works as (created by migration
// 00020, given LOGIN by 00071): it may read and write the market's tables,
// but only SELECT and INSERT the ledger's and the money postings' — never
// UPDATE, DELETE or TRUNCATE them — and it moves balances only by
// inserting posting lines. It is no superuser and belongs to no other
// role, so there is no way back to the owner from its sessions.
const AppRole = "shujiao_app"

// OpenAppPool returns a second pool on owner's database that logs in as
// shujiao_app itself (not SET ROLE from the owner's login, which RESET
// ROLE would undo), with owner's host, database and settings (numeric as
// decimal included) and password (when the server authenticates the role
// by one, give it with OpenAppPoolWithPassword). Use the owner's pool to
// migrate, this one to serve. It returns an error when the role cannot log
// in, or when the login turns out to be a superuser. The caller closes the
// pool.
func OpenAppPool(ctx context.Context, owner *pgxpool.Pool) (*pgxpool.Pool, error) {
	return OpenAppPoolWithPassword(ctx, owner, "")
}

// OpenAppPoolWithPassword is OpenAppPool with the role's password.
func OpenAppPoolWithPassword(ctx context.Context, owner *pgxpool.Pool, password string) (*pgxpool.Pool, error) {
	cfg := owner.Config()
	cfg.ConnConfig.User, cfg.ConnConfig.Password = AppRole, password
	cfg.ConnConfig.RuntimeParams["application_name"] = "shujiao-server"
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open %s pool: %w", AppRole, err)
	}
	var user string
	var super bool
	err = pool.QueryRow(ctx, `SELECT current_user, rolsuper FROM pg_roles WHERE rolname = session_user`).Scan(&user, &super)
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("open %s pool (does the role have LOGIN? migration 00071 gives it): %w", AppRole, err)
	}
	if user != AppRole || super {
		pool.Close()
		return nil, fmt.Errorf("open %s pool: logged in as %s (superuser %t), want the unprivileged %s", AppRole, user, super, AppRole)
	}
	return pool, nil
}
