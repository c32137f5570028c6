package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// pipelined are the statements a pipeTx holds back: writes whose caller
// reads no result but the error (appends to the ledger and the money
// postings, inserting a quote or an order, the advisory locks of
// idempotency keys). Nothing else is held.
var pipelined = map[string]bool{
	insertLedgerEntry: true,
	insertPosting:     true,
	insertOrder:       true,
	insertQuote:       true,
	advisoryXactLock:  true,
	setGenericPlans:   true,
}

// setGenericPlans makes the statements of the transaction run on the
// generic plans of their prepared statements, planned once per connection,
// rather than planning each execution again (PostgreSQL's default for the
// first executions, and for good whenever a custom plan looks cheaper):
// placing an order and quoting run a dozen statements by primary or unique
// keys, and replanning them cost a fifth of PostgreSQL's time per order
// (issue 18). Only those transactions: the catalog's and the lists'
// optional filters ($1 IS NULL OR …) want custom plans.
const setGenericPlans = `SET LOCAL plan_cache_mode = force_generic_plan`

// advisoryXactLock takes a transaction-scoped advisory lock on the hash of $1.
const advisoryXactLock = `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`

// pipeTx is a transaction that sends the pipelined statements it is given
// together with the next statement whose result is read (or at flush), in
// one round trip instead of one each: order placement is a dozen such
// writes, and each round trip costs most under load (issue 18). The
// statements run in the order they were given, so every read still sees
// every write before it; an error of a held statement is returned by the
// statement that sent it (or by flush, translated), and aborts the
// transaction as it would have. Call flush before committing.
type pipeTx struct {
	pgx.Tx
	pending []pendingStmt
}

type pendingStmt struct {
	sql  string
	args []any
}

var _ pgx.Tx = (*pipeTx)(nil)

// Exec holds a pipelined statement (its command tag is empty), and runs
// any other after the held ones.
func (p *pipeTx) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	if pipelined[sql] {
		p.pending = append(p.pending, pendingStmt{sql, args})
		return pgconn.CommandTag{}, nil
	}
	if err := p.flush(ctx); err != nil {
		return pgconn.CommandTag{}, err
	}
	return p.Tx.Exec(ctx, sql, args...)
}

// ledgerBlind are the reads that neither read the ledger nor depend on its
// entries: when every held statement is a ledger append, they run ahead of
// the appends, which stay held and go with the transaction's later appends
// as one INSERT (the order's first event, then its payment's accounts: one
// INSERT for its three events rather than two).
var ledgerBlind = map[string]bool{
	openLockAccounts: true,
}

// Query runs sql after the held statements, in the same round trip (or, for
// a ledgerBlind read while only ledger appends are held, ahead of them).
func (p *pipeTx) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	if len(p.pending) == 0 || (ledgerBlind[sql] && onlyLedgerAppends(p.pending)) {
		return p.Tx.Query(ctx, sql, args...)
	}
	b, n := p.batch()
	b.Queue(sql, args...)
	br := p.Tx.SendBatch(ctx, b)
	if err := p.execHeld(br, n); err != nil {
		return nil, err
	}
	rows, err := br.Query()
	if err != nil {
		br.Close()
		return nil, err
	}
	return &batchRows{Rows: rows, br: br}, nil
}

// QueryRow is Query for one row.
func (p *pipeTx) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	if len(p.pending) == 0 {
		return p.Tx.QueryRow(ctx, sql, args...)
	}
	rows, err := p.Query(ctx, sql, args...)
	return &batchRow{rows: rows, err: err}
}

// SendBatch sends the held statements first, in the same round trip: the
// results returned are b's alone.
func (p *pipeTx) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	if len(p.pending) == 0 {
		return p.Tx.SendBatch(ctx, b)
	}
	all, n := p.batch()
	all.QueuedQueries = append(all.QueuedQueries, b.QueuedQueries...)
	br := p.Tx.SendBatch(ctx, all)
	if err := p.execHeld(br, n); err != nil {
		return errBatchResults{translateMoney(err)}
	}
	return br
}

// CopyFrom sends the held statements first.
func (p *pipeTx) CopyFrom(ctx context.Context, table pgx.Identifier, columns []string, src pgx.CopyFromSource) (int64, error) {
	if err := p.flush(ctx); err != nil {
		return 0, err
	}
	return p.Tx.CopyFrom(ctx, table, columns, src)
}

// Begin (a savepoint) sends the held statements first.
func (p *pipeTx) Begin(ctx context.Context) (pgx.Tx, error) {
	if err := p.flush(ctx); err != nil {
		return nil, err
	}
	return p.Tx.Begin(ctx)
}

// Commit sends the held statements, then commits.
func (p *pipeTx) Commit(ctx context.Context) error {
	if err := p.flush(ctx); err != nil {
		return err
	}
	return p.Tx.Commit(ctx)
}

// Rollback drops the held statements and rolls back.
func (p *pipeTx) Rollback(ctx context.Context) error {
	p.pending = nil
	return p.Tx.Rollback(ctx)
}

// onlyLedgerAppends reports whether every statement of pending appends to
// the ledger.
func onlyLedgerAppends(pending []pendingStmt) bool {
	for _, s := range pending {
		if s.sql != insertLedgerEntry {
			return false
		}
	}
	return true
}

// flush sends the held statements in one round trip.
func (p *pipeTx) flush(ctx context.Context) error {
	if len(p.pending) == 0 {
		return nil
	}
	b, n := p.batch()
	br := p.Tx.SendBatch(ctx, b)
	if err := p.execHeld(br, n); err != nil {
		return translateMoney(err)
	}
	return translateMoney(br.Close())
}

// batch moves the held statements into a new batch and returns it with the
// number of statements queued: the ledger appends among them go as one
// INSERT of all their rows, in their order, where the first was held
// (ledger_batch.go).
func (p *pipeTx) batch() (*pgx.Batch, int) {
	b := &pgx.Batch{}
	ledger := ledgerRows(p.pending)
	for _, s := range p.pending {
		if s.sql == insertLedgerEntry && ledger != nil {
			if ledger.queued {
				continue
			}
			ledger.queued = true
			b.Queue(insertLedgerEntries, ledger.args()...)
			continue
		}
		b.Queue(s.sql, s.args...)
	}
	return b, b.Len()
}

// execHeld reads the results of the n statements batch queued for the held
// ones from br and forgets them; on an error it closes br and returns the
// error as the driver gave it (a reader translates it as its own, flush as
// a write's).
func (p *pipeTx) execHeld(br pgx.BatchResults, n int) error {
	p.pending = nil
	for range n {
		if _, err := br.Exec(); err != nil {
			br.Close()
			return err
		}
	}
	return nil
}

// batchRows are the rows of the last statement of a batch: closing them
// (or reading past the last) closes the batch, freeing the connection.
type batchRows struct {
	pgx.Rows
	br     pgx.BatchResults
	closed bool
	err    error
}

func (r *batchRows) Next() bool {
	if r.Rows.Next() {
		return true
	}
	r.Close()
	return false
}

func (r *batchRows) Close() {
	if r.closed {
		return
	}
	r.closed = true
	r.Rows.Close()
	r.err = r.br.Close()
}

func (r *batchRows) Err() error {
	if err := r.Rows.Err(); err != nil {
		return err
	}
	return r.err
}

// batchRow is pgx.Row over batchRows.
type batchRow struct {
	rows pgx.Rows
	err  error
}

func (r *batchRow) Scan(dest ...any) error {
	if r.err != nil {
		return r.err
	}
	defer r.rows.Close()
	if !r.rows.Next() {
		if err := r.rows.Err(); err != nil {
			return err
		}
		return pgx.ErrNoRows
	}
	if err := r.rows.Scan(dest...); err != nil {
		return err
	}
	r.rows.Close()
	return r.rows.Err()
}

// errBatchResults answers every result with err.
type errBatchResults struct{ err error }

func (e errBatchResults) Exec() (pgconn.CommandTag, error) { return pgconn.CommandTag{}, e.err }
func (e errBatchResults) Query() (pgx.Rows, error)         { return nil, e.err }
func (e errBatchResults) QueryRow() pgx.Row                { return &batchRow{err: e.err} }
func (e errBatchResults) Close() error                     { return e.err }
func (e errBatchResults) Tx() pgx.Tx                       { return nil }
