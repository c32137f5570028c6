// Package postgres implements market's storage interfaces with pgx on
// PostgreSQL, runs the migrations embedded in package migrations with goose,
// and translates driver errors into market's error kinds at this boundary:
// pgx.ErrNoRows becomes market.ErrNotFound, a unique violation (SQLSTATE
// 23505) market.ErrConflict.
//
// SQL is plain SQL in const strings with $n parameters. Multi-step writes run
// in one transaction (InTx).
package postgres
