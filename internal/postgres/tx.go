package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// DB is what a store needs of a connection: a pool, a connection or a
// transaction. Stores hold a DB so that the same code runs inside or outside
// a transaction.
type DB interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Begin(ctx context.Context) (pgx.Tx, error)
}

var (
	_ DB = (*pgxpool.Pool)(nil)
	_ DB = (pgx.Tx)(nil)
)

// InTx runs fn in a transaction on db and commits when fn returns nil; it
// rolls back when fn returns an error or panics. Inside a transaction, db may
// itself be a pgx.Tx: fn then runs in a savepoint. The error of fn is
// returned as is (translated driver errors stay translated).
func InTx(ctx context.Context, db DB, fn func(tx pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, db, fn)
}
