package postgres_test

import (
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/internal/postgres/pgtest"
	"github.com/shujiao/shujiao/market"
)

// TestAppRole_TheServerLogsInWithoutAWayBack: the server's pool logs in as
// shujiao_app, a non-superuser that pg_stat_activity shows as such, and
// RESET ROLE or SET ROLE cannot take it to the owner. Before, the server
// logged in as a superuser and only ran SET ROLE shujiao_app, which RESET
// ROLE undid.
func TestAppRole_TheServerLogsInWithoutAWayBack(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	owner := pgtest.NewDB(t)
	app, err := postgres.OpenAppPool(ctx, owner)
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()
	var user string
	var super bool
	err = app.QueryRow(ctx, `SELECT a.usename, r.rolsuper FROM pg_stat_activity a JOIN pg_roles r ON r.rolname = a.usename
WHERE a.pid = pg_backend_pid()`).Scan(&user, &super)
	if err != nil || user != postgres.AppRole || super {
		t.Fatalf("pg_stat_activity shows %q (superuser %t, %v), want %s, no superuser", user, super, err, postgres.AppRole)
	}
	var ownerName string
	if err := owner.QueryRow(ctx, `SELECT current_user`).Scan(&ownerName); err != nil {
		t.Fatal(err)
	}
	for _, sql := range []string{`RESET ROLE`, `SET ROLE ` + pgx.Identifier{ownerName}.Sanitize(), `SET SESSION AUTHORIZATION ` + pgx.Identifier{ownerName}.Sanitize()} {
		t.Run(sql+" leaves no superuser", func(t *testing.T) {
			conn, err := app.Acquire(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Release()
			_, _ = conn.Exec(ctx, sql) // refused, or a no-op
			var super bool
			if err := conn.QueryRow(ctx, `SELECT rolsuper FROM pg_roles WHERE rolname = current_user`).Scan(&super); err != nil || super {
				t.Errorf("after %s: superuser %t (%v)", sql, super, err)
			}
			_, _ = conn.Exec(ctx, `RESET ROLE`)
		})
	}
}

// TestAppRole_APrivilegeTestPerTable: the server role has no UPDATE, DELETE
// or TRUNCATE on the ledger's tables, cannot set a balance or an order's
// figures, and moves balances only by posting (the lines' trigger). Before,
// it could raise a balance and edit an order's price and amount.
func TestAppRole_APrivilegeTestPerTable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	owner := pgtest.NewDB(t)
	app, err := postgres.OpenAppPool(ctx, owner)
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()
	buyer := mustLedgerParty(t, owner, "Role buyer")
	err = pgx.BeginFunc(ctx, app, func(tx pgx.Tx) error {
		_, _, err := postgres.Deposit(ctx, tx, buyer, market.MustMoney("100.00"), "ROLE-1")
		return err
	})
	if err != nil {
		t.Fatalf("a deposit as the server role: %v", err)
	}
	mustBalance(t, app, market.BuyerFunds(buyer), "100.00")

	for _, sql := range []string{
		`UPDATE ledger_entries SET kind = 'x.y'`, `DELETE FROM ledger_entries`, `TRUNCATE ledger_entries CASCADE`,
		`UPDATE ledger_leaves SET leaf_index = leaf_index`, `DELETE FROM ledger_leaves`, `TRUNCATE ledger_leaves CASCADE`,
		`UPDATE ledger_nodes SET idx = idx`, `DELETE FROM ledger_nodes`, `TRUNCATE ledger_nodes`,
		`UPDATE ledger_heads SET tree_size = tree_size`, `DELETE FROM ledger_heads`, `TRUNCATE ledger_heads`,
		`UPDATE postings SET memo = 'x'`, `DELETE FROM postings`, `TRUNCATE postings CASCADE`,
		`UPDATE posting_lines SET amount = 1`, `DELETE FROM posting_lines`, `TRUNCATE posting_lines`,
		`UPDATE money_accounts SET balance = balance + 1000000`, `DELETE FROM money_accounts`, `TRUNCATE money_accounts CASCADE`,
		`INSERT INTO money_accounts (id, kind, party_id, normal_side, balance) VALUES (gen_random_uuid(), 'seller_receivable', '` + buyer.String() + `', 'credit', 1000000)`,
		`UPDATE orders SET amount = 0.01`, `UPDATE orders SET unit_price = 0.01`, `UPDATE orders SET quantity = 1`,
		`UPDATE orders SET fee = 0`, `UPDATE orders SET buyer_id = seller_id`, `DELETE FROM orders`, `TRUNCATE orders CASCADE`,
		`UPDATE quotes SET amount = 0.01`, `DELETE FROM quotes`, `UPDATE price_plans SET body = '{}'`,
		`UPDATE goose_db_version SET is_applied = false`,
		`DELETE FROM river_migration`, `INSERT INTO river_migration (line, version) VALUES ('main', 99)`,
	} {
		t.Run(sql+" is refused", func(t *testing.T) {
			_, err := app.Exec(ctx, sql)
			var pe *pgconn.PgError
			if !errors.As(err, &pe) || pe.Code != "42501" {
				t.Errorf("err = %v, want insufficient_privilege (42501)", err)
			}
		})
	}
	mustBalance(t, app, market.BuyerFunds(buyer), "100.00")
	t.Run("an order's state columns stay writable", func(t *testing.T) {
		if _, err := app.Exec(ctx, `UPDATE orders SET state = state, updated_at = now() WHERE false`); err != nil {
			t.Errorf("update an order's state: %v", err)
		}
	})
}

// TestAppRole_WorksRiversQueueAndSealsDeliveries: the server role may work
// River's queue (migration 00151) and record shared seals and delivery
// states (00152, 00153), and nothing more than it needs of them.
func TestAppRole_WorksRiversQueueAndSealsDeliveries(t *testing.T) {
	t.Parallel()
	owner := pgtest.NewDB(t)
	for _, c := range []struct {
		check string
		want  bool
	}{
		{`has_table_privilege('shujiao_app', 'river_job', 'INSERT, UPDATE, DELETE')`, true},
		{`has_table_privilege('shujiao_app', 'river_leader', 'INSERT, UPDATE, DELETE')`, true},
		{`has_table_privilege('shujiao_app', 'river_queue', 'INSERT, UPDATE')`, true},
		{`has_table_privilege('shujiao_app', 'river_notification', 'INSERT, DELETE')`, true},
		{`has_sequence_privilege('shujiao_app', 'river_job_id_seq', 'USAGE')`, true},
		{`has_table_privilege('shujiao_app', 'river_migration', 'INSERT')`, false},
		{`has_table_privilege('shujiao_app', 'river_migration', 'DELETE')`, false},
		{`has_table_privilege('shujiao_app', 'shared_seals', 'SELECT, INSERT')`, true},
		{`has_table_privilege('shujiao_app', 'shared_seals', 'UPDATE')`, false},
		{`has_table_privilege('shujiao_app', 'shared_seals', 'DELETE')`, false},
		{`has_column_privilege('shujiao_app', 'orders', 'delivery_state', 'UPDATE')`, true},
		{`has_column_privilege('shujiao_app', 'orders', 'amount', 'UPDATE')`, false},
		{`has_column_privilege('shujiao_app', 'deliveries', 'session_packet', 'INSERT, UPDATE')`, true},
	} {
		t.Run(c.check, func(t *testing.T) {
			var got bool
			if err := owner.QueryRow(context.Background(), `SELECT `+c.check).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("%s = %v, want %v", c.check, got, c.want)
			}
		})
	}
}
