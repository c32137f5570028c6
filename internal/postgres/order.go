package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/market"
)

// CreateOrder places and pays actor's order from a valid quote, in one
// transaction: the same Idempotency-Key (per buyer party) returns the
// order first made with it and replayed true, and never orders or charges
// twice; the same key with another request is ErrConflict
// (idempotency_key_reused). The quote must be the buyer's and unexpired,
// and not ordered yet; the listing must still be listed and pass the
// Shaanxi Art. 36 gate run again now (an authorization may have expired);
// an export (an overseas buyer, or a listing marked for export) needs a
// data-export security assessment reference (Shaanxi Art. 72) — a refusal
// raises a flag for regulators, committed even though the order is not.
// Payment moves the amount from the buyer's funds into the order's escrow.
// The order, its "order.created" and "order.paid" events and the payment
// posting commit together.
//
// It returns ErrInvalid for a bad request, ErrNotFound for a quote the
// buyer cannot see, ErrConflict for an expired or ordered quote or a
// delisted listing, an ErrRefused *market.Error citing the article (Art.
// 36 or Art. 72), ErrInsufficientFunds when the buyer's funds do not cover
// the amount, or the wrapped database error.
func CreateOrder(ctx context.Context, db DB, cfg market.OrderConfig, actor market.Actor, key string, req market.OrderRequest, now time.Time) (*market.Order, bool, error) {
	if err := actor.RequireRole(market.RoleBuyer); err != nil {
		return nil, false, err
	}
	key = strings.TrimSpace(key)
	if key == "" || len(key) > 200 {
		return nil, false, market.Invalid("Idempotency-Key", "idempotency_key_required",
			"send an Idempotency-Key header (1–200 characters, e.g. a UUID): the same key returns the same order and never charges twice")
	}
	req.Normalize()
	if err := req.Validate(); err != nil {
		return nil, false, err
	}
	canon, err := json.Marshal(req)
	if err != nil {
		return nil, false, err
	}
	sum := sha256.Sum256(canon)
	hash := hex.EncodeToString(sum[:])
	now = now.UTC().Truncate(time.Microsecond)
	var o *market.Order
	var replayed bool
	var exportFlag *market.Flag
	err = InTx(ctx, db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, "order:"+actor.PartyID.String()+":"+key); err != nil {
			return err
		}
		prev, prevHash, err := orderByKey(ctx, tx, actor.PartyID, key)
		if err != nil {
			return err
		}
		if prev != nil {
			if prevHash != hash {
				return market.Errorf(market.ErrConflict, "idempotency_key_reused",
					"Idempotency-Key %q already placed order %s with a different request; use a new key for a new order", key, prev.ID)
			}
			o, replayed = prev, true
			return nil
		}
		o, exportFlag, err = placeOrder(ctx, tx, cfg, actor, key, hash, req, now)
		return err
	})
	if err != nil && exportFlag != nil {
		if ferr := InTx(ctx, db, func(tx pgx.Tx) error { return RaiseFlag(ctx, tx, exportFlag) }); ferr != nil {
			return nil, false, fmt.Errorf("place order: %w (and raising its Shaanxi Art. 72 flag failed: %w)", err, ferr)
		}
	}
	if err != nil {
		return nil, false, fmt.Errorf("place order: %w", err)
	}
	return o, replayed, nil
}

// orderByKey returns the order buyer placed under key and its request hash.
func orderByKey(ctx context.Context, tx pgx.Tx, buyer market.PartyID, key string) (*market.Order, string, error) {
	var hash string
	var id uuid.UUID
	err := tx.QueryRow(ctx, `SELECT id, request_sha256 FROM orders WHERE buyer_id = $1 AND idempotency_key = $2`, buyer, key).Scan(&id, &hash)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", translate(err)
	}
	o, err := scanOrder(tx.QueryRow(ctx, `SELECT `+orderColumns+` FROM orders WHERE id = $1`, id))
	return o, hash, err
}

// placeOrder checks the quote, the listing (Art. 36 again) and the export
// rule (Art. 72), pays and inserts the order. On an Art. 72 refusal it
// returns the flag to raise once the transaction has rolled back.
func placeOrder(ctx context.Context, tx pgx.Tx, cfg market.OrderConfig, actor market.Actor, key, hash string, req market.OrderRequest, now time.Time) (*market.Order, *market.Flag, error) {
	q, err := GetQuote(ctx, tx, actor, req.QuoteID)
	if err != nil {
		return nil, nil, err
	}
	if q.BuyerID != actor.PartyID.String() {
		return nil, nil, market.Errorf(market.ErrNotFound, "quote_not_found", "no quote %s for your party", req.QuoteID)
	}
	if !now.Before(q.ExpiresAt) {
		return nil, nil, market.Errorf(market.ErrConflict, "quote_expired", "quote %s expired at %s (quotes are valid %s); ask for a new one",
			q.ID, q.ExpiresAt.Format(time.RFC3339), market.QuoteValidity)
	}
	var taken bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM orders WHERE quote_id = $1)`, q.ID).Scan(&taken); err != nil {
		return nil, nil, translate(err)
	}
	if taken {
		return nil, nil, market.Errorf(market.ErrConflict, "quote_already_ordered", "quote %s was already ordered; ask for a new quote", q.ID)
	}
	listing, err := uuid.Parse(q.ListingID)
	if err != nil {
		return nil, nil, err
	}
	// Shaanxi Art. 36: the gate runs again, since an authorization may
	// have expired since the product was listed.
	l, gate, err := NewListingStore(tx).RegateListing(ctx, actor, listing, now)
	if err != nil {
		return nil, nil, err
	}
	if l.State != market.StateListed {
		return nil, nil, market.Errorf(market.ErrConflict, "listing_not_listed", "listing %s is %s: it can no longer be ordered", listing, l.State)
	}
	if err := gate.Err(); err != nil {
		return nil, nil, err
	}
	o := &market.Order{ID: market.NewID(), QuoteID: q.ID, ListingID: listing, SellerID: l.PartyID, BuyerID: actor.PartyID,
		State: market.OrderCreated, UnitPrice: q.UnitPrice, Quantity: q.Pricing.Quantity, Amount: q.Amount, FeeRate: cfg.FeeRate,
		Fee: market.Fee(q.Amount, cfg.FeeRate), UsagePurpose: req.UsagePurpose, LicenceTerms: req.Licence,
		ExportAssessmentRef: req.ExportAssessmentRef, Gate: gate, CreatedAt: now}
	// Shaanxi Art. 72: data leaving the mainland needs an export assessment.
	if o.Export, err = market.ExportCheck(actor.Overseas(), l.Declaration.ExportIntended, req.ExportAssessmentRef); err != nil {
		return nil, exportRefusalFlag(actor, l, err, now), err
	}
	if err := appendOrderEvent(ctx, tx, o, "order.created", now, map[string]any{"quote_id": q.ID, "listing_id": listing,
		"seller_id": o.SellerID, "buyer_id": o.BuyerID, "unit_price": o.UnitPrice, "quantity": o.Quantity.String(), "amount": o.Amount,
		"negotiated": q.Negotiated, "usage_purpose": o.UsagePurpose, "licence_terms": o.LicenceTerms, "export": o.Export,
		"export_assessment_ref": o.ExportAssessmentRef, "gate_decision": gate.Decision, "ruleset_version": gate.RuleSetVersion}); err != nil {
		return nil, nil, err
	}
	if o.Amount.Decimal().IsPositive() {
		if _, _, err := Pay(ctx, tx, uuidOf(o.BuyerID), o.ID, o.Amount); err != nil {
			return nil, nil, err
		}
	}
	if err := o.Move(market.OrderActionPay, "buyer", now); err != nil {
		return nil, nil, err
	}
	due := now.Add(cfg.SettleAfter)
	o.SettleDueAt = &due
	if err := appendOrderEvent(ctx, tx, o, "order.paid", now, map[string]any{"amount": o.Amount, "escrow": market.Escrow(o.ID).String(),
		"settle_due_at": due}); err != nil {
		return nil, nil, err
	}
	terms, err := json.Marshal(o.LicenceTerms)
	if err != nil {
		return nil, nil, err
	}
	gateJSON, err := json.Marshal(o.Gate)
	if err != nil {
		return nil, nil, err
	}
	_, err = tx.Exec(ctx, `INSERT INTO orders (id, quote_id, listing_id, seller_id, buyer_id, created_by, idempotency_key, request_sha256,
state, unit_price, quantity, amount, fee_rate, fee, usage_purpose, licence_terms, export, export_assessment_ref, gate,
created_at, paid_at, settle_due_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $20)`,
		o.ID, o.QuoteID, o.ListingID, o.SellerID, o.BuyerID, actor.UserID, key, hash, o.State, o.UnitPrice.Decimal(), o.Quantity,
		o.Amount.Decimal(), o.FeeRate, o.Fee.Decimal(), o.UsagePurpose, terms, o.Export, o.ExportAssessmentRef, gateJSON,
		o.CreatedAt, o.PaidAt, o.SettleDueAt)
	if err != nil {
		return nil, nil, translate(err)
	}
	return o, nil, nil
}

// exportRefusalFlag is the regulator's flag of an order refused under
// Shaanxi Art. 72, against the buyer that tried to take data abroad.
func exportRefusalFlag(actor market.Actor, l *market.ListingRecord, refusal error, now time.Time) *market.Flag {
	ev, _ := json.Marshal(map[string]any{"listing_id": l.ID, "seller_id": l.PartyID, "buyer_id": actor.PartyID,
		"buyer_jurisdiction": actor.Jurisdiction, "export_intended": l.Declaration.ExportIntended, "reason": refusal.Error()})
	id := l.ID
	return &market.Flag{Rule: "shaanxi-72", Article: market.ArticleShaanxi72, Kind: "refused_export", PartyID: uuidOf(actor.PartyID),
		ListingID: &id, Summary: "order refused: " + refusal.Error(), Evidence: ev, CreatedAt: now}
}

// appendOrderEvent appends an order.* ledger event about o, with facts.
func appendOrderEvent(ctx context.Context, tx pgx.Tx, o *market.Order, kind string, at time.Time, facts map[string]any) error {
	facts["order_id"], facts["state"] = o.ID, o.State
	payload, err := json.Marshal(facts)
	if err != nil {
		return fmt.Errorf("encode %s: %w", kind, err)
	}
	party := o.BuyerID
	_, err = AppendLedger(ctx, tx, market.LedgerEvent{Kind: kind, PartyID: uuidOf(party), SubjectID: o.ID, Payload: payload, At: at})
	return err
}
