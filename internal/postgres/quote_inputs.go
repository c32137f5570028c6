package postgres

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
	"github.com/shujiao/shujiao/market"
)

const (
	selectBuyerParty = `SELECT credit_rating, created_at FROM parties WHERE id = $1`
	// the buyer's trades with the seller of listing $2: orders paid and
	// not cancelled or refunded
	selectBuyerHistory = `SELECT count(*), min(paid_at), coalesce(sum(amount), 0) FROM orders
WHERE buyer_id = $1 AND seller_id = (SELECT party_id FROM listings WHERE id = $2)
AND paid_at IS NOT NULL AND state NOT IN ('cancelled', 'refunded')`
)

// QuoteInputs reads listing id, its current price plan, the rule set in
// force, buyer's party record and its trades with the listing's seller in
// one round trip (issue 18: these were five).
func (t quoteTx) QuoteInputs(ctx context.Context, id uuid.UUID, buyer market.PartyID) (market.QuoteInputs, error) {
	var in market.QuoteInputs
	b := &pgx.Batch{}
	b.Queue(`SELECT `+listingColumns+` FROM listings WHERE id = $1`, id)
	b.Queue(selectCurrentPricePlan, id)
	rsRead := queueRuleSet(b)
	b.Queue(selectBuyerParty, buyer)
	b.Queue(selectBuyerHistory, buyer, id)
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
	if err := br.QueryRow().Scan(&f.Credit, &f.PartyCreated); err != nil {
		return in, fmt.Errorf("buyer %s: %w", uuid.UUID(buyer), translate(err))
	}
	var spend decimal.Decimal
	if err := br.QueryRow().Scan(&f.PriorTrades, &f.FirstTradeAt, &spend); err != nil {
		return in, fmt.Errorf("buyer history: %w", translate(err))
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
