package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// statements is the -statements flag: load pg_stat_statements into the
// benchmark's PostgreSQL and print, after the flat-out phase, every
// statement's calls and execution time per order placed.
var statements bool

// statementSettings are the server settings -statements starts PostgreSQL
// with (the library must be preloaded; only the benchmark's cluster).
var statementSettings = []string{"shared_preload_libraries=pg_stat_statements",
	"pg_stat_statements.max=5000", "pg_stat_statements.track_utility=on", "pg_stat_statements.track_planning=on"}

// statementRow is one statement's figures over a phase.
type statementRow struct {
	calls       int64
	rows        int64
	totalMillis float64
	planMillis  float64
	walBytes    float64
	query       string
}

// escrows is the -escrows flag.
var escrows int

// openEscrows opens n empty escrow accounts, each for an order ID of its
// own, as n orders placed before the benchmark would have (-escrows), and
// analyzes the table.
func (e *env) openEscrows(ctx context.Context, n int) error {
	if n <= 0 {
		return nil
	}
	fmt.Fprintln(os.Stderr, "loadbench: opening", n, "escrow accounts")
	if _, err := e.owner.Exec(ctx, `INSERT INTO money_accounts (id, kind, order_id, normal_side)
SELECT gen_random_uuid(), 'escrow', gen_random_uuid(), 'credit' FROM generate_series(1, $1::int)`, n); err != nil {
		return err
	}
	_, err := e.owner.Exec(ctx, `ANALYZE money_accounts`)
	return err
}

// resetStatements forgets the statements counted so far (pgbench's, the
// seeding's), so that what follows is the phase's.
func (e *env) resetStatements(ctx context.Context) error {
	if !statements {
		return nil
	}
	_, err := e.owner.Exec(ctx, `SELECT pg_stat_statements_reset(), pg_stat_reset()`)
	return err
}

// readStatements returns the statements run in the server's database since
// the reset, most time first.
func (e *env) readStatements(ctx context.Context) ([]statementRow, error) {
	rows, err := e.owner.Query(ctx, `SELECT calls, rows, total_exec_time, total_plan_time, wal_bytes::float8, query FROM pg_stat_statements
WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query NOT LIKE '%pg_stat_statements%'
ORDER BY total_exec_time DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []statementRow
	for rows.Next() {
		var r statementRow
		if err := rows.Scan(&r.calls, &r.rows, &r.totalMillis, &r.planMillis, &r.walBytes, &r.query); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// printStatements writes the statements as a Markdown table per order
// placed: calls per order, execution time per order and per call, the
// share of all execution time, and the statement (shortened).
func printStatements(out io.Writer, rows []statementRow, orders int) {
	if orders == 0 {
		return
	}
	var calls int64
	var total, plan, wal float64
	for _, r := range rows {
		calls += r.calls
		total += r.totalMillis
		plan += r.planMillis
		wal += r.walBytes
	}
	n := float64(orders)
	fmt.Fprintf(out, "Statements in the flat-out phase (pg_stat_statements, the server's database, seal jobs included): "+
		"**%.1f statements per order**, %.2f ms of execution and %.2f ms of planning per order (parsing and round trips not counted), "+
		"%.1f kB of WAL per order.\n\n", float64(calls)/n, total/n, plan/n, wal/n/1024)
	fmt.Fprintln(out, "| calls/order | exec ms/order | ms/call | plan ms/order | WAL kB/order | share | statement |")
	fmt.Fprintln(out, "| ---: | ---: | ---: | ---: | ---: | ---: | --- |")
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].calls > rows[j].calls })
	for _, r := range rows {
		if float64(r.calls)/n < 0.01 {
			continue
		}
		fmt.Fprintf(out, "| %.2f | %.3f | %.3f | %.3f | %.2f | %.1f %% | `%s` |\n", float64(r.calls)/n, r.totalMillis/n,
			r.totalMillis/float64(max(r.calls, 1)), r.planMillis/n, r.walBytes/n/1024, 100*r.totalMillis/total, shorten(r.query, 110))
	}
	fmt.Fprintln(out)
}

// columnSizes are the stored sizes of the large values an order writes
// and reads, printed with -statements.
const columnSizes = `SELECT 'orders.gate', avg(pg_column_size(gate)), avg(octet_length(gate::text)) FROM orders
UNION ALL SELECT 'ledger_entries.payload', avg(pg_column_size(payload)), avg(octet_length(payload::text)) FROM ledger_entries
UNION ALL SELECT 'quotes.pricing', avg(pg_column_size(pricing)), avg(octet_length(pricing::text)) FROM quotes
UNION ALL SELECT 'quotes.conditions+profile', avg(pg_column_size(conditions) + pg_column_size(profile)), avg(octet_length(conditions::text) + octet_length(profile::text)) FROM quotes
UNION ALL SELECT 'listings.declaration', avg(pg_column_size(declaration)), avg(octet_length(declaration::text)) FROM listings
UNION ALL SELECT 'listings.decision', avg(pg_column_size(decision)), avg(octet_length(decision::text)) FROM listings
UNION ALL SELECT 'datasets.detection', avg(pg_column_size(detection)), avg(octet_length(detection::text)) FROM datasets`

// printColumnSizes writes columnSizes' answer as a line.
func (e *env) printColumnSizes(ctx context.Context, out io.Writer) {
	rows, err := e.owner.Query(ctx, columnSizes)
	if err != nil {
		fmt.Fprintf(out, "(column sizes: %v)\n\n", err)
		return
	}
	defer rows.Close()
	var parts []string
	for rows.Next() {
		var name string
		var stored, text *float64
		if err := rows.Scan(&name, &stored, &text); err != nil || stored == nil || text == nil {
			continue
		}
		parts = append(parts, fmt.Sprintf("%s %.0f B stored (%.0f B as text)", name, *stored, *text))
	}
	fmt.Fprintf(out, "Average sizes: %s.\n\n", strings.Join(parts, "; "))
}

// tableUse is how the phase read and wrote the tables an order writes:
// sequential scans (and the rows they read) and inserts per table, and each
// index's scans, from the statistics reset with the statements.
const tableUse = `SELECT t.relname, t.seq_scan, t.seq_tup_read, t.n_tup_ins,
       string_agg(i.indexrelname || ' ' || i.idx_scan, ', ' ORDER BY i.indexrelname)
FROM pg_stat_user_tables t LEFT JOIN pg_stat_user_indexes i ON i.relid = t.relid
WHERE t.n_tup_ins > 0 OR t.seq_scan > 0
GROUP BY t.relname, t.seq_scan, t.seq_tup_read, t.n_tup_ins
ORDER BY t.n_tup_ins DESC, t.seq_tup_read DESC`

// printTableUse writes tableUse's answer per order placed, as a table: an
// index with no scans costs every insert and serves no read of the phase;
// a sequential scan per order of a growing table makes orders slower as
// they accumulate.
func (e *env) printTableUse(ctx context.Context, out io.Writer, orders int) {
	rows, err := e.owner.Query(ctx, tableUse)
	if err != nil {
		fmt.Fprintf(out, "(table use: %v)\n\n", err)
		return
	}
	defer rows.Close()
	fmt.Fprintln(out, "| table | seq scans/order | rows read by them/order | inserts/order | index scans in the phase |")
	fmt.Fprintln(out, "| --- | ---: | ---: | ---: | --- |")
	n := float64(max(orders, 1))
	for rows.Next() {
		var name string
		var seq, seqRows, ins int64
		var idx *string
		if err := rows.Scan(&name, &seq, &seqRows, &ins, &idx); err != nil {
			continue
		}
		indexes := ""
		if idx != nil {
			indexes = *idx
		}
		fmt.Fprintf(out, "| %s | %.2f | %.1f | %.2f | %s |\n", name, float64(seq)/n, float64(seqRows)/n, float64(ins)/n, indexes)
	}
	fmt.Fprintln(out)
}

// shorten folds q onto one line of at most n runes, escaping pipes.
func shorten(q string, n int) string {
	q = strings.Join(strings.Fields(q), " ")
	q = strings.ReplaceAll(q, "|", "\\|")
	q = strings.ReplaceAll(q, "`", "'")
	if r := []rune(q); len(r) > n {
		q = string(r[:n]) + "…"
	}
	return q
}

// cpuTimes is the CPU time (user+sys) of the server under test and of
// PostgreSQL's processes (the postmaster and its children), from /proc.
type cpuTimes struct {
	serve    time.Duration
	postgres time.Duration
	// backends is postgres's part spent by client backends (connections
	// of the server, pgbench's and the benchmark's own), the rest being
	// PostgreSQL's background processes (WAL writer, checkpointer,
	// autovacuum, …), whose cost is per second more than per order.
	backends time.Duration
	pids     map[int]time.Duration // per PostgreSQL process
	client   map[int]bool          // the client backends among pids
}

// clockTick is USER_HZ, the unit of /proc/<pid>/stat's times (100 on
// Linux everywhere in practice).
const clockTick = 100

// cpu samples cpuTimes; on a system without /proc it returns zeros.
func (e *env) cpu() cpuTimes {
	t := cpuTimes{pids: map[int]time.Duration{}, client: map[int]bool{}}
	if e.servePid != 0 {
		t.serve, _, _ = procCPU(e.servePid)
	}
	master := postmasterPid(e.cluster.DataDir())
	if master == 0 {
		return t
	}
	t.pids[master], _, _ = procCPU(master)
	dirs, _ := os.ReadDir("/proc")
	for _, d := range dirs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		if c, ppid, ok := procCPU(pid); ok && ppid == master {
			t.pids[pid] = c
			t.client[pid] = clientBackend(pid)
		}
	}
	for _, c := range t.pids {
		t.postgres += c
	}
	return t
}

// clientBackend reports whether process pid is a client backend: its title
// is "postgres: user database host(port) …" (a background process's is
// "postgres: checkpointer", "postgres: autovacuum worker", …).
func clientBackend(pid int) bool {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "cmdline"))
	if err != nil {
		return false
	}
	f := strings.Fields(strings.TrimRight(string(b), "\x00"))
	return len(f) >= 4 && f[0] == "postgres:" && (strings.Contains(f[3], "(") || f[3] == "[local]")
}

// postmasterPid reads the postmaster's pid from its pid file (0: none).
func postmasterPid(pgdata string) int {
	b, err := os.ReadFile(filepath.Join(pgdata, "postmaster.pid"))
	if err != nil {
		return 0
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0]))
	return pid
}

// procCPU returns the user+sys time of pid and its parent's pid.
func procCPU(pid int) (time.Duration, int, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, 0, false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')') // the command may hold spaces
	if i < 0 {
		return 0, 0, false
	}
	f := strings.Fields(s[i+1:])
	// After the command: state(0) ppid(1) … utime(11) stime(12).
	if len(f) < 13 {
		return 0, 0, false
	}
	ppid, _ := strconv.Atoi(f[1])
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * time.Second / clockTick, ppid, true
}

// sub is the CPU time spent between an earlier sample and t: per
// PostgreSQL process alive at t (a process that ended in between is not
// counted; the pools keep their connections).
func (t cpuTimes) sub(before cpuTimes) cpuTimes {
	d := cpuTimes{serve: t.serve - before.serve}
	for pid, c := range t.pids {
		d.postgres += c - before.pids[pid]
		if t.client[pid] {
			d.backends += c - before.pids[pid]
		}
	}
	return d
}
