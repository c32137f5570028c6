package market

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
)

// Orders is the use case of buying: placing and paying an order from a
// quote, and moving it through delivery, acceptance, settlement, disputes
// and refunds, every step in the ledger. The HTTP API, the web pages, the
// CLI and the background sweeper call it alike. It is safe for concurrent
// use.
type Orders struct {
	store OrderStore
	cfg   OrderConfig
	now   func() time.Time
}

// NewOrders returns the order service over store, placing orders under cfg
// (see DefaultOrderConfig); now is the clock (nil: time.Now).
func NewOrders(store OrderStore, cfg OrderConfig, now func() time.Time) *Orders {
	if now == nil {
		now = time.Now
	}
	return &Orders{store: store, cfg: cfg, now: now}
}

// Config returns the settings new orders are placed under.
func (s *Orders) Config() OrderConfig { return s.cfg }

func (s *Orders) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// Place places and pays actor's order from a valid quote, in one
// transaction: the same Idempotency-Key (per buyer party) returns the
// order first made with it and replayed true, and never orders or charges
// twice; the same key with another request is ErrConflict
// (idempotency_key_reused). The quote must be the buyer's and unexpired,
// and not ordered yet; the listing must still be listed and pass the
// Shaanxi Art. 36 gate run again now (an authorization may have expired);
// every order is classified under Shaanxi Art. 72 (export_order.go) and an
// export whose class needs it must be covered by the seller's registered
// filing — a refusal raises a flag for regulators, recorded even though
// the order is not.
// Payment moves the amount from the buyer's funds into the order's escrow.
// The delivery is queued for sealing in the same transaction; the order
// answers with delivery.state sealing.
//
// It returns ErrForbidden for anyone but a buyer, ErrInvalid for a bad
// request, ErrNotFound for a quote the buyer cannot see, ErrConflict for
// an expired or ordered quote or a delisted listing, an ErrRefused *Error
// citing the article (Art. 36 or Art. 72), ErrInsufficientFunds when the
// buyer's funds do not cover the amount, or the wrapped storage error.
func (s *Orders) Place(ctx context.Context, actor Actor, key string, req OrderRequest) (*Order, bool, error) {
	if err := actor.RequireRole(RoleBuyer); err != nil {
		return nil, false, err
	}
	key = strings.TrimSpace(key)
	if key == "" || len(key) > 200 {
		return nil, false, Invalid("Idempotency-Key", "idempotency_key_required",
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
	now := s.clock()
	var o *Order
	var replayed bool
	var exportFlag *Flag
	err = s.store.InPlaceTx(ctx, actor.PartyID, key, req.QuoteID, func(tx OrderTx) error {
		prev, prevHash, err := tx.OrderByKey(ctx, actor.PartyID, key)
		if err != nil {
			return err
		}
		if prev != nil {
			if prevHash != hash {
				return Errorf(ErrConflict, "idempotency_key_reused",
					"Idempotency-Key %q already placed order %s with a different request; use a new key for a new order", key, prev.ID)
			}
			o, replayed = prev, true
			return nil
		}
		o, exportFlag, err = s.place(ctx, tx, actor, key, hash, req, now)
		return err
	})
	if err != nil && exportFlag != nil {
		if ferr := s.store.RaiseFlag(ctx, exportFlag); ferr != nil {
			return nil, false, fmt.Errorf("place order: %w (and raising its Shaanxi Art. 72 flag failed: %w)", err, ferr)
		}
	}
	if err != nil {
		return nil, false, fmt.Errorf("place order: %w", err)
	}
	return o, replayed, nil
}

// place checks the quote, the listing (Art. 36 again) and the export rule
// (Art. 72), pays and stores the order. On an Art. 72 refusal it returns
// the flag to raise once the transaction has rolled back.
func (s *Orders) place(ctx context.Context, tx OrderTx, actor Actor, key, hash string, req OrderRequest, now time.Time) (*Order, *Flag, error) {
	q, err := tx.Quote(ctx, req.QuoteID)
	if IsNotFound(err) || (err == nil && q.BuyerID != actor.PartyID) {
		return nil, nil, Errorf(ErrNotFound, "quote_not_found", "no quote %s for your party", req.QuoteID)
	}
	if err != nil {
		return nil, nil, err
	}
	if !now.Before(q.ExpiresAt) {
		return nil, nil, Errorf(ErrConflict, "quote_expired", "quote %s expired at %s (quotes are valid %s); ask for a new one",
			q.ID, q.ExpiresAt.Format(time.RFC3339), QuoteValidity)
	}
	taken, err := tx.QuoteOrdered(ctx, q.ID)
	if err != nil {
		return nil, nil, err
	}
	if taken {
		return nil, nil, Errorf(ErrConflict, "quote_already_ordered", "quote %s was already ordered; ask for a new quote", q.ID)
	}
	listing := q.ListingID
	// Shaanxi Art. 36: the gate runs again, since an authorization may
	// have expired since the product was listed.
	// The listing is one the buyer may see (ListingRecord.ReadableBy):
	// another party's listing that is no longer listed is not found.
	l, err := tx.LockListing(ctx, listing)
	if err == nil && !l.ReadableBy(actor) {
		err = listingNotFound(listing)
	}
	var gate GateResult
	if err == nil {
		gate, err = tx.RegateListing(ctx, l, now)
	}
	if err != nil {
		return nil, nil, err
	}
	if l.State != StateListed {
		return nil, nil, Errorf(ErrConflict, "listing_not_listed", "listing %s is %s: it can no longer be ordered", listing, l.State)
	}
	// Review items an operator approved when listing the product do not
	// hold the order up; new ones and blocks do (art36_approved.go).
	if err := gate.ErrApproved(l.Decision); err != nil {
		return nil, nil, err
	}
	o := &Order{ID: NewID(), QuoteID: q.ID, ListingID: listing, SellerID: l.PartyID, BuyerID: actor.PartyID,
		State: OrderCreated, UnitPrice: q.UnitPrice, Quantity: q.Pricing.Quantity, Amount: q.Amount, FeeRate: s.cfg.FeeRate,
		Fee: Fee(q.Amount, s.cfg.FeeRate), UsagePurpose: req.UsagePurpose, LicenceTerms: req.Licence,
		ExportAssessmentRef: req.ExportAssessmentRef, Gate: gate, CreatedAt: now, SettleAfter: s.cfg.SettleAfter}
	// Shaanxi Art. 72: every order is classified, and an export that needs
	// one is checked against the seller's filing (export_order.go).
	if o.ExportClass, err = classifyExport(ctx, tx, actor, l, o, req, now); err != nil {
		if errors.Is(err, ErrRefused) {
			return nil, exportRefusalFlag(actor, l, err, now), err
		}
		return nil, nil, err
	}
	o.Export = o.ExportClass.Class != ExportNone
	if err := appendOrderEvent(ctx, tx, o, "order.created", now, map[string]any{"quote_id": q.ID, "listing_id": listing,
		"seller_id": o.SellerID, "buyer_id": o.BuyerID, "unit_price": o.UnitPrice, "quantity": o.Quantity.String(), "amount": o.Amount,
		"negotiated": q.Negotiated, "usage_purpose": o.UsagePurpose, "licence_terms": o.LicenceTerms, "export": o.Export, "export_class": o.ExportClass,
		"export_assessment_ref": o.ExportAssessmentRef, "gate_decision": gate.Decision, "ruleset_version": gate.RuleSetVersion}); err != nil {
		return nil, nil, err
	}
	if o.Amount.Decimal().IsPositive() {
		p := PaymentPosting(uuid.UUID(o.BuyerID), o.ID, o.Amount)
		if err := tx.Transfer(ctx, &p); err != nil {
			return nil, nil, err
		}
	}
	if err := o.Move(OrderActionPay, "buyer", now); err != nil {
		return nil, nil, err
	}
	deliverBy := now.Add(s.cfg.DeliverWithin)
	o.DeliverBy = &deliverBy
	if err := appendOrderEvent(ctx, tx, o, "order.paid", now, map[string]any{"amount": o.Amount, "escrow": Escrow(o.ID).String(),
		"deliver_by": deliverBy, "settle_after_days": o.SettleAfter.Hours() / 24}); err != nil {
		return nil, nil, err
	}
	// A listing that names a de-identification certificate has a certified
	// release for the platform to deliver; an API or a report is delivered
	// by its seller (no delivery state, nothing queued): an order of one is
	// not refunded as undeliverable by the sealing job.
	deliverable := l.Declaration.CertificateID != ""
	if deliverable {
		o.Delivery = &OrderDelivery{State: DeliverySealing}
	}
	if err := tx.InsertOrder(ctx, o, actor.UserID, key, hash); err != nil {
		return nil, nil, err
	}
	// The delivery is sealed in the background (encrypting a release is
	// bulk work): queued here, it runs only if the order commits.
	if deliverable {
		if err := tx.QueueDelivery(ctx, o.ID); err != nil {
			return nil, nil, err
		}
	}
	return o, nil, nil
}

// exportRefusalFlag is the regulator's flag of an order refused under
// Shaanxi Art. 72, against the buyer that tried to take data abroad.
func exportRefusalFlag(actor Actor, l *ListingRecord, refusal error, now time.Time) *Flag {
	ev, _ := json.Marshal(map[string]any{"listing_id": l.ID, "seller_id": l.PartyID, "buyer_id": actor.PartyID,
		"buyer_jurisdiction": actor.Jurisdiction, "export_intended": l.Declaration.ExportIntended, "reason": refusal.Error()})
	id := l.ID
	return &Flag{Rule: "shaanxi-72", Article: ArticleShaanxi72, Kind: "refused_export", PartyID: actor.PartyID,
		ListingID: &id, Summary: "order refused: " + refusal.Error(), Evidence: ev, CreatedAt: now}
}

// appendOrderEvent appends an order.* ledger event about o, with facts.
func appendOrderEvent(ctx context.Context, tx OrderTx, o *Order, kind string, at time.Time, facts map[string]any) error {
	facts["order_id"], facts["state"] = o.ID, o.State
	payload, err := json.Marshal(facts)
	if err != nil {
		return fmt.Errorf("encode %s: %w", kind, err)
	}
	return tx.AppendLedger(ctx, LedgerEvent{Kind: kind, PartyID: o.BuyerID, SubjectID: o.ID, Payload: payload, At: at})
}

// IsNotFound reports whether err wraps ErrNotFound.
func IsNotFound(err error) bool { return errors.Is(err, ErrNotFound) }
