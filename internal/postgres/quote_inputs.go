package postgres

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
	"github.com/shujiao/shujiao/market"
)

// selectBuyerFacts reads buyer $1's party record and its trades with the
// seller of listing $2: orders paid and not cancelled or refunded.
const selectBuyerFacts = `SELECT p.credit_rating, p.created_at, h.n, h.first, h.spend FROM parties p,
LATERAL (SELECT count(*) AS n, min(paid_at) AS first, coalesce(sum(amount), 0) AS spend FROM orders
  WHERE buyer_id = p.id AND seller_id = (SELECT party_id FROM listings WHERE id = $2)
  AND paid_at IS NOT NULL AND state NOT IN ('cancelled', 'refunded')) h
WHERE p.id = $1`

// QuoteInputs reads listing id, its current price plan, the rule set in
// force, buyer's party record and its trades with the listing's seller in
// one round trip, four statements (issue 18: these were five round trips).
func (t quoteTx) QuoteInputs(ctx context.Context, id uuid.UUID, buyer market.PartyID) (market.QuoteInputs, error) {
	var in market.QuoteInputs
	b := &pgx.Batch{}
	b.Queue(`SELECT `+listingColumns+` FROM listings WHERE id = $1`, id)
	b.Queue(selectCurrentPricePlan, id)
	rsRead := queueRuleSet(b)
	b.Queue(selectBuyerFacts, buyer, id)
	br := t.tx.SendBatch(ctx, b)
	defer br.Close()
	l, err := scanListing(br.QueryRow())
	if err != nil {
		return in, err
	}
	in.Listing = l
	in.Plan, in.PlanErr = scanPricePlan(br.QueryRow(), id, 0)
	if in.PlanErr != nil && !isNotFound(in.PlanErr) {
		return in, in.PlanErr
	}
	if err := rsRead.scan(br); err != nil {
		return in, err
	}
	f := &in.Buyer
	var spend decimal.Decimal
	if err := br.QueryRow().Scan(&f.Credit, &f.PartyCreated, &f.PriorTrades, &f.FirstTradeAt, &spend); err != nil {
		return in, fmt.Errorf("buyer %s: %w", uuid.UUID(buyer), translate(err))
	}
	f.TotalSpend = market.NewMoney(spend)
	if err := br.Close(); err != nil {
		return in, translate(err)
	}
	if in.RuleSet, err = rsRead.result(ctx, t.tx); err != nil {
		return in, err
	}
	return in, nil
}
