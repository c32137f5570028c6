package market

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
)

// RecordedTrade is a trade the platform recorded (a paid order not
// cancelled or refunded) as the Shaanxi Art. 37 detector reads it, with
// the quote's pricing and buyer profile it was made from.
type RecordedTrade struct {
	Trade
	// Listing is the listing of the trade (Trade.ListingID as its ID).
	Listing uuid.UUID
	Pricing Pricing
	Profile BuyerProfile
}

// AuditRecorded runs the Shaanxi Art. 37 detector over the platform's
// recorded trades (of listing, when not uuid.Nil; paid since since, when
// not zero), each group against the plan version its quotes were priced
// from, and raises a flag for regulators for every finding not flagged
// before, each with the detector's evidence. Only a regulator may. It
// returns the audit, ErrForbidden, or the wrapped storage error.
func (s *Quotes) AuditRecorded(ctx context.Context, actor Actor, listing uuid.UUID, since time.Time, now time.Time) (PriceAudit, error) {
	if err := actor.RequireRole(RoleRegulator); err != nil {
		return PriceAudit{}, err
	}
	var out PriceAudit
	err := s.store.InQuoteTx(ctx, func(tx QuoteTx) error {
		rs, err := tx.CurrentRuleSet(ctx)
		if err != nil {
			return err
		}
		recorded, err := tx.RecordedTrades(ctx, listing, since)
		if err != nil {
			return err
		}
		type planKey struct {
			listing uuid.UUID
			version int
		}
		// One audit over every version, so that a version applied to some
		// buyers while others kept the old one is found (Shaanxi Art. 37).
		var trades []Trade
		var plans []*PricePlan
		seen := map[planKey]bool{}
		for _, r := range recorded {
			t := r.Trade
			prior := r.Profile.PriorTrades
			t.BuyerPriorTrades = &prior
			claimExceptions(&t, r.Pricing)
			t.VersionColumn = true
			trades = append(trades, t)
			k := planKey{r.Listing, t.PlanVersion}
			if seen[k] {
				continue
			}
			seen[k] = true
			rec, err := tx.PricePlan(ctx, k.listing, k.version)
			if err != nil {
				return err
			}
			plans = append(plans, rec.Plan)
		}
		slices.SortStableFunc(trades, func(x, y Trade) int {
			if c := x.Time.Compare(y.Time); c != 0 {
				return c
			}
			return strings.Compare(x.ID, y.ID)
		})
		out.AuditResult = Audit(trades, rs, plans)
		out.FlagIDs, err = raisePriceFlags(ctx, tx, out.Flags, now)
		return err
	})
	if err != nil {
		return PriceAudit{}, fmt.Errorf("audit recorded prices: %w", err)
	}
	return out, nil
}

// AuditImported runs the Shaanxi Art. 37 detector over trades recorded
// elsewhere (the offline CSV or JSON Lines of docs/pricing.md) under the
// current rule set, without plans, and raises a flag for every finding
// against a seller this platform knows (by party id), once. Only a
// regulator may. It returns the audit, ErrForbidden, or the wrapped
// storage error.
func (s *Quotes) AuditImported(ctx context.Context, actor Actor, trades []Trade, now time.Time) (PriceAudit, error) {
	if err := actor.RequireRole(RoleRegulator); err != nil {
		return PriceAudit{}, err
	}
	var out PriceAudit
	err := s.store.InQuoteTx(ctx, func(tx QuoteTx) error {
		rs, err := tx.CurrentRuleSet(ctx)
		if err != nil {
			return err
		}
		out.AuditResult = Audit(trades, rs, nil)
		out.FlagIDs, err = raisePriceFlags(ctx, tx, out.Flags, now)
		return err
	})
	if err != nil {
		return PriceAudit{}, fmt.Errorf("audit imported prices: %w", err)
	}
	return out, nil
}

// claimExceptions records on t the exceptions the engine applied when it
// priced the trade's quote, for the detector to check against the plan.
func claimExceptions(t *Trade, p Pricing) {
	met := true
	for _, a := range p.Applied {
		switch a.Exception {
		case ExceptionTier:
			t.TierID, t.TierCriteriaMet = a.ID, &met
		case ExceptionNewCustomer:
			t.PromotionID, t.PromotionKind = a.ID, string(PromotionNewCustomer)
		case ExceptionRandom:
			for _, d := range p.Draws {
				if d.RuleID == a.ID && d.Won {
					t.RandomRuleID, t.RandomDrawID = d.RuleID, d.DrawID
				}
			}
		}
	}
}

// raisePriceFlags raises each finding of an audit as a flag in the
// regulator queue, once (a finding already raised is not raised again),
// and only against a seller this platform knows; it returns the IDs of
// the flags it raised.
func raisePriceFlags(ctx context.Context, tx QuoteTx, flags []PriceFlag, now time.Time) ([]uuid.UUID, error) {
	ids := []uuid.UUID{}
	for _, f := range flags {
		// The detector's IDs are text: a trade imported from elsewhere may
		// name a seller that is no party of this platform.
		u, err := uuid.Parse(f.SellerID)
		if err != nil {
			continue
		}
		seller := PartyID(u)
		var listing *uuid.UUID
		if l, err := uuid.Parse(f.ListingID); err == nil {
			known, err := tx.ListingExists(ctx, l)
			if err != nil {
				return nil, err
			}
			if known {
				listing = &l
			}
		}
		known, flagged, err := tx.FindingFlagged(ctx, seller, f, listing)
		if err != nil {
			return nil, err
		}
		if !known || flagged {
			continue
		}
		flag, err := f.RegulatorFlag(seller, listing, now)
		if err != nil {
			return nil, err
		}
		if err := tx.RaiseFlag(ctx, &flag); err != nil {
			return nil, err
		}
		ids = append(ids, flag.ID)
	}
	return ids, nil
}
