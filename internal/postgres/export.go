package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/market"
)

// ExportLedger returns what classifying an order of seller's under Shaanxi
// Art. 72 needs (market.ExportTx), after taking seller's export lock for
// the transaction: the current rule set's export rules, whether buyer's
// controlling party is overseas, seller's counts since since, and its
// filings.
func (t orderTx) ExportLedger(ctx context.Context, seller, buyer market.PartyID, since time.Time) (market.ExportLedger, error) {
	var led market.ExportLedger
	if _, err := t.tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('export:' || $1::text, 0))`, uuid.UUID(seller).String()); err != nil {
		return led, fmt.Errorf("export lock of seller %s: %w", uuid.UUID(seller), translate(err))
	}
	rs, err := currentRuleSet(ctx, t.tx)
	if err != nil {
		return led, err
	}
	led.Rules = market.ExportRulesOf(rs)
	if err := t.tx.QueryRow(ctx, `SELECT controller_overseas FROM parties WHERE id = $1`, buyer).Scan(&led.BuyerControllerOverseas); err != nil {
		return led, fmt.Errorf("buyer %s: %w", uuid.UUID(buyer), translate(err))
	}
	if err := t.tx.QueryRow(ctx, `SELECT coalesce(sum(personal_subjects), 0), coalesce(sum(sensitive_subjects), 0)
FROM order_exports WHERE seller_id = $1 AND created_at >= $2`, seller, since).Scan(&led.PriorPersonal, &led.PriorSensitive); err != nil {
		return led, fmt.Errorf("exports of seller %s: %w", uuid.UUID(seller), translate(err))
	}
	led.Filings, err = filingsOf(ctx, t.tx, seller)
	return led, err
}

// BuyerControllerOverseas reports whether buyer's controlling party is
// overseas.
func (t orderTx) BuyerControllerOverseas(ctx context.Context, buyer market.PartyID) (bool, error) {
	if r := t.pre; r != nil && r.buyer == buyer && r.listing != nil {
		return r.overseas, nil // read with the quote, when there was one (order_place_reads.go)
	}
	var overseas bool
	if err := t.tx.QueryRow(ctx, selectControllerAbroad, buyer).Scan(&overseas); err != nil {
		return false, fmt.Errorf("buyer %s: %w", uuid.UUID(buyer), translate(err))
	}
	return overseas, nil
}

// RecordExport stores the export class of an order placed in this transaction.
func (t orderTx) RecordExport(ctx context.Context, r market.ExportRecord) error {
	dec, err := json.Marshal(r.Decision)
	if err != nil {
		return fmt.Errorf("encode export decision: %w", err)
	}
	var filing *uuid.UUID
	if r.Decision.Filing != nil {
		filing = &r.Decision.Filing.ID
	}
	_, err = t.tx.Exec(ctx, `INSERT INTO order_exports (order_id, seller_id, buyer_id, class, personal_subjects, sensitive_subjects, filing_id, decision, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, r.OrderID, r.SellerID, r.BuyerID, string(r.Decision.Class),
		r.PersonalSubjects, r.SensitiveSubjects, filing, dec, r.At)
	if err != nil {
		return fmt.Errorf("record export of order %s: %w", r.OrderID, translate(err))
	}
	return nil
}

// ExportFilingStore implements market.ExportFilingStore: the export
// filings and assessment results sellers register. SQL only.
type ExportFilingStore struct{ db DB }

// NewExportFilingStore returns the store over db.
func NewExportFilingStore(db DB) *ExportFilingStore { return &ExportFilingStore{db: db} }

var _ market.ExportFilingStore = (*ExportFilingStore)(nil)

// InsertFiling stores f registered by user by.
func (s *ExportFilingStore) InsertFiling(ctx context.Context, f *market.ExportFiling, by market.UserID) error {
	_, err := s.db.Exec(ctx, `INSERT INTO export_filings (id, seller_id, registered_by, kind, issuer, number, listing_ids, valid_from, valid_to, registered_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8::date, $9::date, $10)`, f.ID, f.SellerID, by, string(f.Kind), f.Issuer, f.Number, f.ListingIDs,
		f.ValidFrom.String(), f.ValidTo.String(), f.RegisteredAt)
	if err != nil {
		return fmt.Errorf("insert export filing %s %s: %w", f.Kind, f.Number, translate(err))
	}
	return nil
}

// Filings returns seller's filings, newest first.
func (s *ExportFilingStore) Filings(ctx context.Context, seller market.PartyID) ([]market.ExportFiling, error) {
	return filingsOf(ctx, s.db, seller)
}

// ListingOwner returns the party of listing id, or ErrNotFound.
func (s *ExportFilingStore) ListingOwner(ctx context.Context, id uuid.UUID) (market.PartyID, error) {
	var p market.PartyID
	err := s.db.QueryRow(ctx, `SELECT party_id FROM listings WHERE id = $1`, id).Scan(&p)
	if isNoRows(err) {
		return p, notFound("listing", id)
	}
	return p, translate(err)
}

func filingsOf(ctx context.Context, db DB, seller market.PartyID) ([]market.ExportFiling, error) {
	rows, err := db.Query(ctx, `SELECT id, seller_id, kind, issuer, number, listing_ids, valid_from, valid_to, registered_at
FROM export_filings WHERE seller_id = $1 ORDER BY registered_at DESC, id`, seller)
	if err != nil {
		return nil, fmt.Errorf("export filings of %s: %w", uuid.UUID(seller), translate(err))
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (market.ExportFiling, error) {
		var f market.ExportFiling
		var from, to time.Time
		if err := r.Scan(&f.ID, &f.SellerID, &f.Kind, &f.Issuer, &f.Number, &f.ListingIDs, &from, &to, &f.RegisteredAt); err != nil {
			return f, err
		}
		f.ValidFrom, f.ValidTo = market.MustDate(from.Format(time.DateOnly)), market.MustDate(to.Format(time.DateOnly))
		return f, nil
	})
	if err != nil {
		return nil, fmt.Errorf("export filings of %s: %w", uuid.UUID(seller), translate(err))
	}
	if out == nil {
		out = []market.ExportFiling{}
	}
	return out, nil
}
