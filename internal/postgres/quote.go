package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/market"
)

// quoteTx is market.QuoteTx over one pgx transaction.
type quoteTx struct{ tx pgx.Tx }

var (
	_ market.QuoteStore = Ports{}
	_ market.QuoteTx    = quoteTx{}
)

// InQuoteTx runs fn in one transaction.
func (p Ports) InQuoteTx(ctx context.Context, fn func(market.QuoteTx) error) error {
	return InTx(ctx, p.db, func(tx pgx.Tx) error {
		// the quote's and its ledger event's inserts go in one round trip
		// with the next read or the end (tx_pipeline.go)
		pt := &pipeTx{Tx: tx}
		if _, err := pt.Exec(ctx, setGenericPlans); err != nil {
			return translate(err)
		}
		if err := fn(quoteTx{pt}); err != nil {
			return err
		}
		return pt.flush(ctx)
	})
}

// Quote returns quote id, whoever's it is.
func (p Ports) Quote(ctx context.Context, id market.QuoteID) (market.QuoteRecord, error) {
	return scanQuote(p.db.QueryRow(ctx, selectQuote+` WHERE id = $1`, id))
}

// PricePlan returns version v of listing's plan (0: the current one).
func (t quoteTx) PricePlan(ctx context.Context, listing uuid.UUID, v int) (market.PricePlanRecord, error) {
	return PricePlan(ctx, t.tx, listing, v)
}

// CurrentRuleSet returns the rule set in force.
func (t quoteTx) CurrentRuleSet(ctx context.Context) (*market.RuleSet, error) {
	return currentRuleSet(ctx, t.tx)
}

// Quote returns quote id.
func (t quoteTx) Quote(ctx context.Context, id market.QuoteID) (market.QuoteRecord, error) {
	return scanQuote(t.tx.QueryRow(ctx, selectQuote+` WHERE id = $1`, id))
}

// LockCreditRating returns party's credit rating, the row locked.
func (t quoteTx) LockCreditRating(ctx context.Context, party market.PartyID) (market.CreditRating, error) {
	var r market.CreditRating
	err := t.tx.QueryRow(ctx, `SELECT credit_rating FROM parties WHERE id = $1 FOR UPDATE`, party).Scan(&r)
	return r, translate(err)
}

// SetCreditRating stores party's credit rating.
func (t quoteTx) SetCreditRating(ctx context.Context, party market.PartyID, rating market.CreditRating) error {
	_, err := t.tx.Exec(ctx, `UPDATE parties SET credit_rating = $2 WHERE id = $1`, party, rating)
	return translate(err)
}

// AppendLedger appends ev in this transaction.
func (t quoteTx) AppendLedger(ctx context.Context, ev market.LedgerEvent) (uuid.UUID, error) {
	return AppendLedger(ctx, t.tx, ev)
}

// InsertQuote stores rec.
func (t quoteTx) InsertQuote(ctx context.Context, rec *market.QuoteRecord) error {
	q := &rec.Quote
	conds, err := json.Marshal(q.Conditions)
	if err != nil {
		return err
	}
	profile, err := json.Marshal(q.Profile)
	if err != nil {
		return err
	}
	pricing, err := json.Marshal(q.Pricing)
	if err != nil {
		return err
	}
	_, err = t.tx.Exec(ctx, insertQuote,
		q.ID, q.ListingID, q.PlanVersion, q.SellerID, q.BuyerID, conds, q.Pricing.ConditionKey, profile, pricing, q.Negotiated, rec.CounterOf,
		q.UnitPrice.Decimal(), q.Pricing.Quantity, q.Amount.Decimal(), q.CreatedAt, q.ExpiresAt, rec.LedgerEntryID)
	return translate(err)
}

const insertQuote = `INSERT INTO quotes (id, listing_id, plan_version, seller_id, buyer_id, conditions, condition_key, profile,
pricing, negotiated, counter_of, unit_price, quantity, amount, created_at, expires_at, ledger_entry_id)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`

const selectQuote = `SELECT id, listing_id, plan_version, seller_id, buyer_id, conditions, profile, pricing, negotiated,
counter_of, unit_price::text, amount::text, created_at, expires_at, ledger_entry_id FROM quotes`

func scanQuote(row pgx.Row) (market.QuoteRecord, error) {
	var r market.QuoteRecord
	var conds, profile, pricing []byte
	var unit, amount string
	if err := row.Scan(&r.ID, &r.ListingID, &r.PlanVersion, &r.SellerID, &r.BuyerID, &conds, &profile, &pricing, &r.Negotiated,
		&r.CounterOf, &unit, &amount, &r.CreatedAt, &r.ExpiresAt, &r.LedgerEntryID); err != nil {
		return market.QuoteRecord{}, translate(err)
	}
	r.CreatedAt, r.ExpiresAt = r.CreatedAt.UTC(), r.ExpiresAt.UTC()
	for _, x := range []struct {
		b []byte
		v any
	}{{conds, &r.Conditions}, {profile, &r.Profile}, {pricing, &r.Pricing}} {
		if err := json.Unmarshal(x.b, x.v); err != nil {
			return market.QuoteRecord{}, fmt.Errorf("quote %s: stored JSON: %w", r.ID, err)
		}
	}
	var err error
	if r.UnitPrice, err = market.ParseMoney(unit); err != nil {
		return market.QuoteRecord{}, err
	}
	if r.Amount, err = market.ParseMoney(amount); err != nil {
		return market.QuoteRecord{}, err
	}
	return r, nil
}
