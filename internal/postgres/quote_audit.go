package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
	"github.com/shujiao/shujiao/market"
)

// recordedTrades selects the platform's recorded trades: paid orders that
// were not cancelled or refunded, with their quotes and buyers.
const recordedTrades = `SELECT o.id, o.paid_at, o.seller_id, o.listing_id, o.buyer_id, p.kind, o.unit_price, o.quantity, o.amount,
q.conditions, q.profile, q.pricing, q.plan_version
FROM orders o JOIN quotes q ON q.id = o.quote_id JOIN parties p ON p.id = o.buyer_id
WHERE o.paid_at IS NOT NULL AND o.state NOT IN ('cancelled', 'refunded')
  AND ($1::uuid IS NULL OR o.listing_id = $1) AND ($2::timestamptz IS NULL OR o.paid_at >= $2)
ORDER BY o.paid_at, o.id`

// AuditRecordedPrices runs the Shaanxi Art. 37 detector over the
// platform's recorded trades (of listing, when not uuid.Nil; paid since
// since, when not zero), each group against the plan version its quotes
// were priced from, and raises a flag for regulators for every finding
// not flagged before, each with the detector's evidence. It returns the
// audit, or the wrapped database error.
func AuditRecordedPrices(ctx context.Context, db DB, listing uuid.UUID, since time.Time, now time.Time) (market.PriceAudit, error) {
	var out market.PriceAudit
	err := InTx(ctx, db, func(tx pgx.Tx) error {
		rs, err := currentRuleSet(ctx, tx)
		if err != nil {
			return err
		}
		var sinceArg *time.Time
		if !since.IsZero() {
			sinceArg = &since
		}
		byPlan, err := tradesByPlan(ctx, tx, uuidOrNull(listing), sinceArg)
		if err != nil {
			return err
		}
		// One audit over every version, so that a version applied to some
		// buyers while others kept the old one is found (Shaanxi Art. 37).
		var trades []market.Trade
		var plans []*market.PricePlan
		for key, ts := range byPlan {
			rec, err := PricePlan(ctx, tx, key.listing, key.version)
			if err != nil {
				return err
			}
			plans = append(plans, rec.Plan)
			trades = append(trades, ts...)
		}
		// In the order the query gave them (paid_at, id), whatever the map's.
		slices.SortFunc(trades, func(x, y market.Trade) int {
			if c := x.Time.Compare(y.Time); c != 0 {
				return c
			}
			return strings.Compare(x.ID, y.ID)
		})
		out.AuditResult = market.Audit(trades, rs, plans)
		out.FlagIDs, err = raisePriceFlags(ctx, tx, out.Flags, now)
		return err
	})
	if err != nil {
		return market.PriceAudit{}, fmt.Errorf("audit recorded prices: %w", err)
	}
	return out, nil
}

type planKey struct {
	listing uuid.UUID
	version int
}

// tradesByPlan reads the recorded trades as the detector reads them, with
// the evidence of every exception their pricing applied, grouped by the
// plan version they were priced from.
func tradesByPlan(ctx context.Context, tx pgx.Tx, listing *uuid.UUID, since *time.Time) (map[planKey][]market.Trade, error) {
	rows, err := tx.Query(ctx, recordedTrades, listing, since)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := map[planKey][]market.Trade{}
	for rows.Next() {
		var t market.Trade
		var id, lid uuid.UUID
		var seller, buyer market.PartyID
		var unit, amount decimal.Decimal
		var conds, profile, pricing []byte
		var version int
		if err := rows.Scan(&id, &t.Time, &seller, &lid, &buyer, &t.BuyerKind, &unit, &t.Quantity, &amount, &conds, &profile, &pricing, &version); err != nil {
			return nil, translate(err)
		}
		t.ID, t.SellerID, t.ListingID, t.BuyerID = id.String(), seller.String(), lid.String(), buyer.String()
		t.UnitPrice, t.Amount, t.Time = market.NewMoney(unit), market.NewMoney(amount), t.Time.UTC()
		var p market.Pricing
		var prof market.BuyerProfile
		if err := json.Unmarshal(conds, &t.Conditions); err != nil {
			return nil, err
		}
		if err := json.Unmarshal(profile, &prof); err != nil {
			return nil, err
		}
		if err := json.Unmarshal(pricing, &p); err != nil {
			return nil, err
		}
		prior := prof.PriorTrades
		t.BuyerPriorTrades = &prior
		claimExceptions(&t, p)
		t.PlanVersion, t.VersionColumn = version, true
		k := planKey{lid, version}
		out[k] = append(out[k], t)
	}
	return out, translate(rows.Err())
}

// claimExceptions records on t the exceptions the engine applied when it
// priced the trade's quote, for the detector to check against the plan.
func claimExceptions(t *market.Trade, p market.Pricing) {
	met := true
	for _, a := range p.Applied {
		switch a.Exception {
		case market.ExceptionTier:
			t.TierID, t.TierCriteriaMet = a.ID, &met
		case market.ExceptionNewCustomer:
			t.PromotionID, t.PromotionKind = a.ID, string(market.PromotionNewCustomer)
		case market.ExceptionRandom:
			for _, d := range p.Draws {
				if d.RuleID == a.ID && d.Won {
					t.RandomRuleID, t.RandomDrawID = d.RuleID, d.DrawID
				}
			}
		}
	}
}

// raisePriceFlag raises f as a regulator's flag against its seller unless
// the same finding (rule, kind, listing, trades) is flagged already; it
// returns the new flag's id, or uuid.Nil.
func raisePriceFlag(ctx context.Context, tx pgx.Tx, f market.PriceFlag, now time.Time) (uuid.UUID, error) {
	seller, err := uuid.Parse(f.SellerID)
	if err != nil {
		return uuid.Nil, nil // an imported trade of a party this platform does not know
	}
	var listing *uuid.UUID
	if l, err := uuid.Parse(f.ListingID); err == nil {
		var exists bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM listings WHERE id = $1)`, l).Scan(&exists); err != nil {
			return uuid.Nil, translate(err)
		}
		if exists {
			listing = &l
		}
	}
	ids, err := json.Marshal(f.TradeIDs)
	if err != nil {
		return uuid.Nil, err
	}
	var known, seen bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM parties WHERE id = $5),
EXISTS (SELECT 1 FROM flags WHERE rule = $1 AND kind = $2 AND listing_id IS NOT DISTINCT FROM $3 AND evidence->'trade_ids' = $4::jsonb)`,
		f.Rule, f.Kind, listing, string(ids), seller).Scan(&known, &seen); err != nil {
		return uuid.Nil, translate(err)
	}
	if !known || seen {
		return uuid.Nil, nil
	}
	flag, err := f.RegulatorFlag(seller, listing, now)
	if err != nil {
		return uuid.Nil, err
	}
	if err := RaiseFlag(ctx, tx, &flag); err != nil {
		return uuid.Nil, err
	}
	return flag.ID, nil
}

// AuditImportedPrices runs the Shaanxi Art. 37 detector over trades
// recorded elsewhere (the offline CSV or JSON Lines of docs/pricing.md)
// under the current rule set, without plans, and raises a flag for every
// finding against a seller this platform knows (by party id), once. It
// returns the audit, or the wrapped database error.
func AuditImportedPrices(ctx context.Context, db DB, trades []market.Trade, now time.Time) (market.PriceAudit, error) {
	var out market.PriceAudit
	err := InTx(ctx, db, func(tx pgx.Tx) error {
		rs, err := currentRuleSet(ctx, tx)
		if err != nil {
			return err
		}
		out.AuditResult = market.Audit(trades, rs, nil)
		out.FlagIDs, err = raisePriceFlags(ctx, tx, out.Flags, now)
		return err
	})
	if err != nil {
		return market.PriceAudit{}, fmt.Errorf("audit imported prices: %w", err)
	}
	return out, nil
}

// raisePriceFlags raises each finding of an audit as a flag in the
// regulator queue (once: a finding already raised is not raised again)
// and returns the ids of the flags it raised.
func raisePriceFlags(ctx context.Context, tx pgx.Tx, flags []market.PriceFlag, now time.Time) ([]uuid.UUID, error) {
	ids := []uuid.UUID{}
	for _, f := range flags {
		id, err := raisePriceFlag(ctx, tx, f, now)
		if err != nil {
			return nil, err
		}
		if id != uuid.Nil {
			ids = append(ids, id)
		}
	}
	return ids, nil
}
