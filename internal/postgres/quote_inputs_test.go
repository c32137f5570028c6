package postgres_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/internal/postgres/pgtest"
	"github.com/shujiao/shujiao/market"
)

// TestQuoteInputs_TheBuyersTradesWithASellerAreReadByIndexOnBoth: the
// quote's read of the buyer's history with the seller (its generic plan, as
// quoting runs it) uses the index on both parties, not one party's orders
// filtered by the other (which grew with every order the seller took).
func TestQuoteInputs_TheBuyersTradesWithASellerAreReadByIndexOnBoth(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	var plan []string
	err := inTx(t, db, func(ctx context.Context, tx pgx.Tx) error {
		// No sequential scan: the choice is between the indexes.
		for _, q := range []string{`SET LOCAL plan_cache_mode = force_generic_plan`, `SET LOCAL enable_seqscan = off`,
			`PREPARE buyer_facts AS ` + postgres.SelectBuyerFacts} {
			if _, err := tx.Exec(ctx, q); err != nil {
				return err
			}
		}
		// EXECUTE takes literals: two fresh IDs.
		rows, err := tx.Query(ctx, fmt.Sprintf(`EXPLAIN EXECUTE buyer_facts('%s', '%s')`, market.NewID(), market.NewID()))
		if err != nil {
			return err
		}
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				return err
			}
			plan = append(plan, line)
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	if text := strings.Join(plan, "\n"); !strings.Contains(text, "orders_buyer_seller_idx") {
		t.Errorf("the buyer's history is not read by orders_buyer_seller_idx:\n%s", text)
	}
}
