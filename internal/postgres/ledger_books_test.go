package postgres_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/shujiao/shujiao/internal/ledger"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/internal/postgres/pgtest"
	"github.com/shujiao/shujiao/market"
)

// booksWorld is a buyer with a deposit of 100.00 and an order of
// 2 × 20.00 = 40.00 paid from it, recorded as serve records them.
func booksWorld(t *testing.T) (db *pgxpool.Pool, order, funds string) {
	t.Helper()
	ctx := context.Background()
	db = pgtest.NewDB(t)
	buyer := mustLedgerParty(t, db, "Books buyer")
	o := market.NewID()
	err := pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		if _, _, err := postgres.Deposit(ctx, tx, buyer, market.MustMoney("100.00"), "BANK-1"); err != nil {
			return err
		}
		payload, _ := json.Marshal(map[string]any{"order_id": o, "unit_price": market.MustMoney("20.00"), "quantity": "2", "amount": market.MustMoney("40.00")})
		if _, err := postgres.AppendLedger(ctx, tx, market.LedgerEvent{Kind: "order.created", PartyID: market.PartyID(buyer), SubjectID: o, Payload: payload, At: time.Now()}); err != nil {
			return err
		}
		_, _, err := postgres.Pay(ctx, tx, buyer, o, market.MustMoney("40.00"))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// The order's row, without the quote and listing it would reference.
	mustSuperExec(t, db, `INSERT INTO orders (id, quote_id, listing_id, seller_id, buyer_id, created_by, idempotency_key, request_sha256,
state, unit_price, quantity, amount, fee_rate, fee, usage_purpose, licence_terms, export, gate, created_at, updated_at, settle_after)
VALUES ($1, gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), $2, gen_random_uuid(), 'k', 'h', 'paid', 20, 2, 40, 0.02, 0.80, 'research', '{}', false, '{}', now(), now(), interval '7 days')`, o, buyer)
	var fundsID string
	if err := db.QueryRow(ctx, `SELECT id::text FROM money_accounts WHERE kind = 'buyer_funds' AND party_id = $1`, buyer).Scan(&fundsID); err != nil {
		t.Fatal(err)
	}
	return db, o.String(), fundsID
}

// TestVerifyBooks: the balances and the order figures are recomputed from
// the ledger's entries; an account balance or an order price changed in SQL
// fails and is named. Both went unnoticed before (verify-ledger only
// checked the ledger's own rows).
func TestVerifyBooks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		tamper string
		kind   string
		named  func(order, funds string) string
	}{
		{"untouched books agree", "", "", nil},
		{"a raised balance is named", `UPDATE money_accounts SET balance = balance + 1000000 WHERE id = $1::uuid`,
			ledger.ProblemBalance, func(_, funds string) string { return "account " + funds }},
		{"a deleted account is named", `DELETE FROM money_accounts WHERE id = $1::uuid`,
			ledger.ProblemBalance, func(_, funds string) string { return "account " + funds }},
		{"a lowered order price is named", `UPDATE orders SET unit_price = 0.01 WHERE id = $2::uuid`,
			ledger.ProblemOrder, func(order, _ string) string { return "order " + order + ": its unit price" }},
		{"a lowered order amount is named", `UPDATE orders SET amount = 0.02 WHERE id = $2::uuid`,
			ledger.ProblemOrder, func(order, _ string) string { return "order " + order + ": its amount" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			db, order, funds := booksWorld(t)
			if tc.tamper != "" {
				mustSuperExec(t, db, strings.ReplaceAll(strings.ReplaceAll(tc.tamper, "$1", "'"+funds+"'"), "$2", "'"+order+"'"))
			}
			problems, err := postgres.VerifyBooks(ctx, db)
			if err != nil {
				t.Fatal(err)
			}
			if tc.kind == "" {
				if len(problems) != 0 {
					t.Fatalf("problems in untouched books: %+v", problems)
				}
				return
			}
			if len(problems) == 0 {
				t.Fatal("the tampered books verified")
			}
			if p := problems[0]; p.Kind != tc.kind || !strings.Contains(p.Message, tc.named(order, funds)) {
				t.Errorf("problem = %+v, want %s naming %q", p, tc.kind, tc.named(order, funds))
			}
		})
	}
}
