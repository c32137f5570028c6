package market

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// Quotes is the use case of asking for a price: a buyer's quote priced
// from the listing's plan (Shaanxi Art. 37), a seller's negotiated price
// checked the same way, and the operators' credit ratings that quotes
// read. The HTTP API, the web pages and the CLI call it alike. It is safe
// for concurrent use.
type Quotes struct {
	store QuoteStore
}

// NewQuotes returns the quote service over store.
func NewQuotes(store QuoteStore) *Quotes { return &Quotes{store: store} }

// Create prices conds for actor (a buyer) on listing id from the
// listing's current plan version, valid for QuoteValidity. The credit
// factor of Shaanxi Art. 37(2) is the buyer party's credit rating, never
// the caller's word; the buyer-profile attributes (earlier trades with
// this seller, total spend, tenure, region, channel) are recorded beside
// the quote and never priced. The quote and a "quote.offered" ledger event
// are written in one transaction.
//
// It returns ErrForbidden for a caller without the buyer role or buying
// from its own party, ErrNotFound for a listing the caller cannot see or
// without a plan, ErrConflict (listing_not_listed) for a listing not in
// the catalog, ErrInvalid for invalid conditions, or the wrapped error.
func (s *Quotes) Create(ctx context.Context, actor Actor, listing uuid.UUID, conds Conditions, channel string, now time.Time) (QuoteRecord, error) {
	if err := actor.RequireRole(RoleBuyer); err != nil {
		return QuoteRecord{}, err
	}
	now = now.UTC().Truncate(time.Microsecond)
	var rec QuoteRecord
	err := s.store.InQuoteTx(ctx, func(tx QuoteTx) error {
		in, err := tx.QuoteInputs(ctx, listing, actor.PartyID)
		l := in.Listing
		if err == nil && !l.ReadableBy(actor) {
			err = listingNotFound(listing)
		}
		if err != nil {
			return err
		}
		if l.State != StateListed {
			return Errorf(ErrConflict, "listing_not_listed", "listing %s is %s, not listed: it cannot be quoted", listing, l.State)
		}
		if l.PartyID == actor.PartyID {
			return Errorf(ErrForbidden, "own_listing", "a party cannot buy its own listing")
		}
		if in.PlanErr != nil {
			return in.PlanErr
		}
		plan, rs, facts := in.Plan, in.RuleSet, in.Buyer
		conds.Credit = facts.Credit
		hist := BuyerHistory{PriorTrades: facts.PriorTrades, FirstTradeAt: facts.FirstTradeAt}
		profile := BuyerProfile{PriorTrades: facts.PriorTrades, TotalSpend: facts.TotalSpend,
			TenureDays: int(now.Sub(facts.PartyCreated) / (24 * time.Hour)), Region: actor.Jurisdiction, Channel: channel}
		q, err := NewQuote(plan.Plan, rs, QuoteRequest{ListingID: l.ID, SellerID: l.PartyID, BuyerID: actor.PartyID,
			Conditions: conds, History: hist, Profile: profile}, now)
		if err != nil {
			return err
		}
		rec.Quote = q
		return offerQuote(ctx, tx, &rec)
	})
	if err != nil {
		return QuoteRecord{}, fmt.Errorf("quote listing %s: %w", listing, err)
	}
	return rec, nil
}

// offerQuote appends rec's "quote.offered" ledger event and stores rec.
func offerQuote(ctx context.Context, tx QuoteTx, rec *QuoteRecord) error {
	q := &rec.Quote
	payload, err := json.Marshal(map[string]any{"quote_id": q.ID, "listing_id": q.ListingID, "seller_id": q.SellerID, "buyer_id": q.BuyerID,
		"plan_version": q.PlanVersion, "condition_key": q.Pricing.ConditionKey, "unit_price": q.UnitPrice, "quantity": q.Pricing.Quantity.String(),
		"amount": q.Amount, "negotiated": q.Negotiated, "counter_of": rec.CounterOf, "applied": q.Pricing.Applied,
		"buyer_profile": q.Profile, "expires_at": q.ExpiresAt})
	if err != nil {
		return err
	}
	if rec.LedgerEntryID, err = tx.AppendLedger(ctx, LedgerEvent{Kind: "quote.offered", PartyID: q.BuyerID,
		SubjectID: uuid.UUID(q.ID), Payload: payload, At: q.CreatedAt}); err != nil {
		return err
	}
	return tx.InsertQuote(ctx, rec)
}

// quoteVisibleTo reports whether actor may see q: the buyer's and the
// seller's parties, regulators and operators.
func quoteVisibleTo(q QuoteRecord, actor Actor) bool {
	return q.BuyerID == actor.PartyID || q.SellerID == actor.PartyID || actor.CanAny(RoleRegulator, RoleOperator)
}

// Get returns quote id as actor may see it: the buyer's and the seller's
// parties, regulators and operators. It returns ErrNotFound (code
// quote_not_found) otherwise.
func (s *Quotes) Get(ctx context.Context, actor Actor, id QuoteID) (QuoteRecord, error) {
	return getQuote(ctx, s.store.Quote, actor, id)
}

func getQuote(ctx context.Context, read func(context.Context, QuoteID) (QuoteRecord, error), actor Actor, id QuoteID) (QuoteRecord, error) {
	r, err := read(ctx, id)
	if err == nil && !quoteVisibleTo(r, actor) {
		err = ErrNotFound
	}
	if err != nil {
		if IsNotFound(err) {
			return QuoteRecord{}, Errorf(ErrNotFound, "quote_not_found", "no quote %s", id)
		}
		return QuoteRecord{}, fmt.Errorf("quote %s: %w", id, err)
	}
	return r, nil
}

// Counter records a seller's negotiated unit price against quote id: a
// new quote for the same buyer, conditions and engine pricing, offered
// only when the price passes the same Shaanxi Art. 37 check as the
// engine's (CheckQuote: within the tolerance of the plan's price for these
// conditions, exceptions included). Only a seller of the quote's seller
// party may counter, and only while the quote is valid.
//
// It returns ErrNotFound for a quote actor cannot see, ErrForbidden for a
// caller who is not its seller, ErrConflict (quote_expired) after expiry,
// ErrInvalid for a non-positive price, and the ErrRefused *Error of
// Shaanxi Art. 37 (code price_unexplained, the PriceFlag as Details) for
// an unexplained price: such a quote is not offered.
func (s *Quotes) Counter(ctx context.Context, actor Actor, id QuoteID, unitPrice Money, now time.Time) (QuoteRecord, error) {
	now = now.UTC().Truncate(time.Microsecond)
	var rec QuoteRecord
	err := s.store.InQuoteTx(ctx, func(tx QuoteTx) error {
		orig, err := getQuote(ctx, tx.Quote, actor, id)
		if err != nil {
			return err
		}
		if orig.SellerID != actor.PartyID || !actor.Can(RoleSeller) {
			return Errorf(ErrForbidden, "not_quote_seller", "only a seller of the quoted listing may offer a negotiated price")
		}
		if !now.Before(orig.ExpiresAt) {
			return Errorf(ErrConflict, "quote_expired", "quote %s expired at %s; the buyer asks for a new one", id, orig.ExpiresAt.Format(time.RFC3339))
		}
		if !unitPrice.Decimal().IsPositive() || unitPrice.Decimal().Exponent() < -4 {
			return Invalid("unit_price", "invalid_amount", "unit_price: %s, want a positive amount with at most 4 decimal places", unitPrice.Decimal())
		}
		rs, err := tx.CurrentRuleSet(ctx)
		if err != nil {
			return err
		}
		q := orig.Quote
		q.ID, q.Negotiated, q.UnitPrice = NewQuoteID(), true, unitPrice
		q.Amount = unitPrice.Mul(q.Pricing.Quantity).Round()
		q.CreatedAt, q.ExpiresAt = now, now.Add(QuoteValidity)
		// Shaanxi Art. 37: a negotiated price must be explained like the engine's.
		if err := CheckQuote(q, rs); err != nil {
			return err
		}
		rec = QuoteRecord{Quote: q, CounterOf: &orig.ID}
		return offerQuote(ctx, tx, &rec)
	})
	if err != nil {
		return QuoteRecord{}, fmt.Errorf("counter quote %s: %w", id, err)
	}
	return rec, nil
}

// RateCredit records party's credit rating, the credit factor of Shaanxi
// Art. 37(2) that quotes read from the party record, and appends a
// "party.credit_rated" ledger event with the reason, in one transaction.
// Only an operator may. It returns ErrForbidden otherwise, ErrInvalid for
// a rating other than A–D or an empty reason, ErrNotFound for an unknown
// party, or the wrapped storage error.
func (s *Quotes) RateCredit(ctx context.Context, actor Actor, party PartyID, rating CreditRating, reason string, now time.Time) error {
	if err := actor.RequireRole(RoleOperator); err != nil {
		return err
	}
	switch rating {
	case CreditA, CreditB, CreditC, CreditD:
	default:
		return Invalid("credit_rating", "invalid_enum", "credit_rating: %q, want A, B, C or D", rating)
	}
	if reason == "" || len([]rune(reason)) > 1000 {
		return Invalid("reason", "missing_field", "reason: say on what record the rating rests (1–1000 characters)")
	}
	err := s.store.InQuoteTx(ctx, func(tx QuoteTx) error {
		prev, err := tx.LockCreditRating(ctx, party)
		if err != nil {
			return err
		}
		payload, err := json.Marshal(map[string]any{"from": prev, "to": rating, "reason": reason, "by": actor.UserID})
		if err != nil {
			return err
		}
		if _, err := tx.AppendLedger(ctx, LedgerEvent{Kind: "party.credit_rated", PartyID: party,
			SubjectID: uuid.UUID(party), Payload: payload, At: now}); err != nil {
			return err
		}
		return tx.SetCreditRating(ctx, party, rating)
	})
	if err != nil {
		return fmt.Errorf("rate the credit of party %s: %w", party, err)
	}
	return nil
}

// PublishPlan publishes plan as the next version of listing id's price
// plan: only a seller of the listing's party may. The plan's id, seller,
// listing and version are set here (the id is the listing's); it is
// validated under the current rule set (a new-customer promotion longer
// than the rule set allows is refused under Shaanxi Art. 37) and must sell
// what the product delivers. The version and a "price_plan.published"
// ledger event are written in one transaction, with the listing locked so
// versions never collide; the new version closes the last.
//
// It returns ErrNotFound when actor may not see the listing, ErrForbidden
// when actor is not its seller, ErrInvalid for an invalid plan, or the
// wrapped storage error.
func (s *Quotes) PublishPlan(ctx context.Context, actor Actor, listing uuid.UUID, plan *PricePlan, now time.Time) (PricePlanRecord, error) {
	rec := PricePlanRecord{Plan: plan, CreatedBy: actor.UserID, CreatedAt: now.UTC().Truncate(time.Microsecond)}
	err := s.store.InQuoteTx(ctx, func(tx QuoteTx) error {
		l, err := tx.LockListing(ctx, listing)
		if err == nil && !l.ReadableBy(actor) {
			err = listingNotFound(listing)
		}
		if err != nil {
			return err
		}
		if l.PartyID != actor.PartyID || !actor.Can(RoleSeller) {
			return Errorf(ErrForbidden, "not_listing_seller", "only a seller of the listing's party may set its price plan")
		}
		rs, err := tx.CurrentRuleSet(ctx)
		if err != nil {
			return err
		}
		last, err := tx.LastPlanVersion(ctx, listing)
		if err != nil {
			return err
		}
		// The plan is a document that also lives outside the platform, so
		// its IDs are text.
		plan.ID, plan.SellerID, plan.ListingID, plan.Version = listing.String(), l.PartyID.String(), listing.String(), last+1
		// A new version prices from its publication and closes the last.
		plan.EffectiveFrom, plan.EffectiveTo = &rec.CreatedAt, nil
		if plan.Tiers == nil {
			plan.Tiers = []Tier{}
		}
		if plan.Promotions == nil {
			plan.Promotions = []Promotion{}
		}
		if plan.RandomRules == nil {
			plan.RandomRules = []RandomRule{}
		}
		if err := plan.Validate(rs); err != nil {
			return err
		}
		if err := CheckPlanDelivers(l.Declaration.ProductType, plan.Unit); err != nil {
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
		if rec.LedgerEntryID, err = tx.AppendLedger(ctx, LedgerEvent{Kind: "price_plan.published",
			PartyID: l.PartyID, SubjectID: listing, Payload: payload, At: rec.CreatedAt}); err != nil {
			return err
		}
		return tx.InsertPricePlan(ctx, listing, l.PartyID, &rec)
	})
	if err != nil {
		return PricePlanRecord{}, fmt.Errorf("price plan of listing %s: %w", listing, err)
	}
	return rec, nil
}
