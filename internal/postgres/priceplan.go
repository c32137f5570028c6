package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/market"
)

// PutPricePlan publishes plan as the next version of listing id's price
// plan: only a seller of the listing's party may. The plan's id, seller,
// listing and version are set by the store (the id is the listing's); it
// is validated under the current rule set (a new-customer promotion longer
// than the rule set allows is refused under Shaanxi Art. 37). The version
// and a "price_plan.published" ledger event are written in one
// transaction, with the listing row locked so versions never collide.
//
// It returns ErrNotFound when actor may not see the listing, ErrForbidden
// when actor is not its seller, ErrInvalid for an invalid plan, or the
// wrapped database error.
func PutPricePlan(ctx context.Context, db DB, actor market.Actor, listing uuid.UUID, plan *market.PricePlan, now time.Time) (market.PricePlanRecord, error) {
	rec := market.PricePlanRecord{Plan: plan, CreatedBy: actor.UserID, CreatedAt: now.UTC().Truncate(time.Microsecond)}
	err := InTx(ctx, db, func(tx pgx.Tx) error {
		l, err := lockListing(ctx, tx, actor, listing)
		if err != nil {
			return err
		}
		if l.PartyID != actor.PartyID || !actor.Can(market.RoleSeller) {
			return market.Errorf(market.ErrForbidden, "not_listing_seller", "only a seller of the listing's party may set its price plan")
		}
		rs, err := currentRuleSet(ctx, tx)
		if err != nil {
			return err
		}
		var last int
		if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM price_plans WHERE listing_id = $1`, listing).Scan(&last); err != nil {
			return translate(err)
		}
		plan.ID, plan.SellerID, plan.ListingID, plan.Version = listing.String(), l.PartyID.String(), listing.String(), last+1
		// A new version prices from its publication and closes the last.
		plan.EffectiveFrom, plan.EffectiveTo = &rec.CreatedAt, nil
		if plan.Tiers == nil {
			plan.Tiers = []market.Tier{}
		}
		if plan.Promotions == nil {
			plan.Promotions = []market.Promotion{}
		}
		if plan.RandomRules == nil {
			plan.RandomRules = []market.RandomRule{}
		}
		if err := plan.Validate(rs); err != nil {
			return err
		}
		if err := market.CheckPlanDelivers(l.Declaration.ProductType, plan.Unit); err != nil {
			return err
		}
		body, err := json.Marshal(plan)
		if err != nil {
			return fmt.Errorf("encode plan: %w", err)
		}
		payload, err := json.Marshal(map[string]any{"listing_id": listing, "version": plan.Version, "plan": json.RawMessage(body)})
		if err != nil {
			return fmt.Errorf("encode ledger event: %w", err)
		}
		if rec.LedgerEntryID, err = AppendLedger(ctx, tx, market.LedgerEvent{Kind: "price_plan.published",
			PartyID: l.PartyID, SubjectID: listing, Payload: payload, At: rec.CreatedAt}); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE price_plans SET effective_to = $3 WHERE listing_id = $1 AND version = $2`, listing, last, rec.CreatedAt); err != nil {
			return translate(err)
		}
		_, err = tx.Exec(ctx, `INSERT INTO price_plans (listing_id, version, party_id, body, created_by, created_at, ledger_entry_id, effective_from)
VALUES ($1, $2, $3, $4, $5, $6, $7, $6)`, listing, plan.Version, l.PartyID, body, actor.UserID, rec.CreatedAt, rec.LedgerEntryID)
		return translate(err)
	})
	if err != nil {
		return market.PricePlanRecord{}, fmt.Errorf("price plan of listing %s: %w", listing, err)
	}
	return rec, nil
}

const selectPricePlan = `SELECT body, created_by, created_at, ledger_entry_id, effective_from, effective_to FROM price_plans WHERE listing_id = $1`

// PricePlan returns version v of listing id's price plan (0: the current,
// latest version). It returns ErrNotFound (code no_price_plan) when the
// listing has no such version. It does not check who asks: callers check
// that the actor may read the listing.
func PricePlan(ctx context.Context, db DB, listing uuid.UUID, v int) (market.PricePlanRecord, error) {
	var row pgx.Row
	if v > 0 {
		row = db.QueryRow(ctx, selectPricePlan+` AND version = $2`, listing, v)
	} else {
		row = db.QueryRow(ctx, selectPricePlan+` ORDER BY version DESC LIMIT 1`, listing)
	}
	var rec market.PricePlanRecord
	var body []byte
	var from time.Time
	var to *time.Time
	err := row.Scan(&body, &rec.CreatedBy, &rec.CreatedAt, &rec.LedgerEntryID, &from, &to)
	if errors.Is(err, pgx.ErrNoRows) {
		return market.PricePlanRecord{}, market.Errorf(market.ErrNotFound, "no_price_plan", "listing %s has no price plan%s; its seller sets one with PUT /v1/listings/%s/price-plan", listing, versionSuffix(v), listing)
	}
	if err != nil {
		return market.PricePlanRecord{}, fmt.Errorf("price plan of listing %s: %w", listing, translate(err))
	}
	rec.Plan = new(market.PricePlan)
	if err := json.Unmarshal(body, rec.Plan); err != nil {
		return market.PricePlanRecord{}, fmt.Errorf("price plan of listing %s: stored body: %w", listing, err)
	}
	// The period is the table's: publishing the next version closed it.
	from = from.UTC()
	rec.Plan.EffectiveFrom, rec.Plan.EffectiveTo = &from, nil
	if to != nil {
		t := to.UTC()
		rec.Plan.EffectiveTo = &t
	}
	return rec, nil
}

func versionSuffix(v int) string {
	if v > 0 {
		return fmt.Sprintf(" version %d", v)
	}
	return ""
}
