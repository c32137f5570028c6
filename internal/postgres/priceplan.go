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

// LockListing returns listing id locked FOR UPDATE.
func (t quoteTx) LockListing(ctx context.Context, id uuid.UUID) (*market.ListingRecord, error) {
	return scanListing(t.tx.QueryRow(ctx, `SELECT `+listingColumns+` FROM listings WHERE id = $1 FOR UPDATE`, id))
}

// LastPlanVersion returns listing's latest plan version (0: none).
func (t quoteTx) LastPlanVersion(ctx context.Context, listing uuid.UUID) (int, error) {
	var last int
	err := t.tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM price_plans WHERE listing_id = $1`, listing).Scan(&last)
	return last, translate(err)
}

// InsertPricePlan stores rec as the next version of listing's plan and
// closes the version before it.
func (t quoteTx) InsertPricePlan(ctx context.Context, listing uuid.UUID, party market.PartyID, rec *market.PricePlanRecord) error {
	body, err := json.Marshal(rec.Plan)
	if err != nil {
		return fmt.Errorf("encode plan: %w", err)
	}
	if _, err := t.tx.Exec(ctx, `UPDATE price_plans SET effective_to = $3 WHERE listing_id = $1 AND version = $2`,
		listing, rec.Plan.Version-1, rec.CreatedAt); err != nil {
		return translate(err)
	}
	_, err = t.tx.Exec(ctx, `INSERT INTO price_plans (listing_id, version, party_id, body, created_by, created_at, ledger_entry_id, effective_from)
VALUES ($1, $2, $3, $4, $5, $6, $7, $6)`, listing, rec.Plan.Version, party, body, rec.CreatedBy, rec.CreatedAt, rec.LedgerEntryID)
	return translate(err)
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
		row = db.QueryRow(ctx, selectCurrentPricePlan, listing)
	}
	return scanPricePlan(row, listing, v)
}

// selectCurrentPricePlan reads the current version of listing $1's plan.
const selectCurrentPricePlan = selectPricePlan + ` ORDER BY version DESC LIMIT 1`

// scanPricePlan scans version v (0: the current one) of listing's plan
// from row; no row is an ErrNotFound *market.Error (no_price_plan).
func scanPricePlan(row pgx.Row, listing uuid.UUID, v int) (market.PricePlanRecord, error) {
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
