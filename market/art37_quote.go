package market

import (
	"time"

	"github.com/google/uuid"
)

// QuoteValidity is how long a quote may be accepted after it is made.
const QuoteValidity = 15 * time.Minute

// Quote is an offer to one buyer: the engine's pricing of the buyer's
// transaction conditions under a plan version, or a seller's negotiated
// price checked the same way. It records the buyer-profile attributes that
// could drive price discrimination, for the detector; pricing never reads them.
type Quote struct {
	ID          QuoteID      `json:"id"`
	SellerID    PartyID      `json:"seller_id"`
	ListingID   uuid.UUID    `json:"listing_id"`
	BuyerID     PartyID      `json:"buyer_id"`
	Conditions  Conditions   `json:"conditions"`
	Profile     BuyerProfile `json:"buyer_profile"`
	Pricing     Pricing      `json:"pricing"`
	Negotiated  bool         `json:"negotiated"`
	UnitPrice   Money        `json:"unit_price"`
	Amount      Money        `json:"amount"`
	CreatedAt   time.Time    `json:"created_at"`
	ExpiresAt   time.Time    `json:"expires_at"`
	PlanVersion int          `json:"plan_version"`
}

// QuoteRequest is what NewQuote needs: the listing and its seller, the
// buyer, their conditions and history, the profile to record, and the
// seller's negotiated unit price when there is one (nil for the engine's
// price).
type QuoteRequest struct {
	ListingID  uuid.UUID
	SellerID   PartyID
	BuyerID    PartyID
	Conditions Conditions
	History    BuyerHistory
	Profile    BuyerProfile
	Negotiated *Money
}

// NewQuote prices req under plan at time at and checks the price under
// Shaanxi Art. 37 (CheckQuote). The quote's id is a new UUIDv7 and is the
// id of its random draws. Conditions are mapped through the rule set's
// vocabulary first. It returns ErrInvalid for bad conditions (code
// unrecognized_condition for a value the vocabulary does not know), and an
// ErrRefused *Error citing Shaanxi Art. 37, code price_unexplained, with
// the PriceFlag as Details, when a negotiated price is not explained — such
// a quote is not offered. Safe for concurrent use.
func NewQuote(plan *PricePlan, rs *RuleSet, req QuoteRequest, at time.Time) (Quote, error) {
	id := NewQuoteID()
	// Shaanxi Art. 37(2): conditions in the vocabulary's values, so a
	// quote's condition key is the one the detector compares.
	c, bad := NewNormalizer(&rs.Art37).Normalize(req.Conditions, "")
	if len(bad) > 0 {
		return Quote{}, Invalid(bad[0].Field, "unrecognized_condition", "%s: %q is not in the rule set's vocabulary (rule set %d)", bad[0].Field, bad[0].Value, rs.Version)
	}
	req.Conditions = c
	p, err := Price(plan, req.Conditions, req.History, at, WithDraw(id.String()), WithRuleSet(rs))
	if err != nil {
		return Quote{}, err
	}
	q := Quote{ID: id, SellerID: req.SellerID, ListingID: req.ListingID, BuyerID: req.BuyerID, Conditions: req.Conditions,
		Profile: req.Profile, Pricing: p, UnitPrice: p.UnitPrice, Amount: p.Amount, CreatedAt: at.UTC(),
		ExpiresAt: at.UTC().Add(QuoteValidity), PlanVersion: plan.Version}
	if req.Negotiated != nil {
		q.Negotiated, q.UnitPrice = true, *req.Negotiated
		q.Amount = req.Negotiated.Mul(p.Quantity).Round()
	}
	if err := CheckQuote(q, rs); err != nil {
		return Quote{}, err
	}
	return q, nil
}

// CheckQuote is the Art. 37 check at quote time: the quote's unit price
// must be within the tolerance of the engine's price for its conditions,
// which already carries every exception whose evidence checks out. It
// returns nil, or an ErrRefused *Error (Article "Shaanxi Art. 37", code
// price_unexplained) whose Details is the PriceFlag telling the seller why.
func CheckQuote(q Quote, rs *RuleSet) error {
	ref := q.Pricing.UnitPrice
	diff := q.UnitPrice.Sub(ref)
	if diff.Decimal().Abs().LessThanOrEqual(ref.Decimal().Mul(rs.Art37.Tolerance)) {
		return nil
	}
	f := &PriceFlag{Rule: RuleShaanxi37, Article: ArticleShaanxi37, Kind: KindPriceDifference, SellerID: q.SellerID.String(),
		ListingID: q.ListingID.String(), ConditionKey: q.Pricing.ConditionKey, TradeIDs: []string{}, ReferencePrice: ref,
		ReferenceSource: "plan", PlanVersion: q.PlanVersion, Overcharges: []Overcharge{}, ExceptionsRejected: []RejectedException{}}
	f.add(&Trade{ID: q.ID.String(), BuyerID: q.BuyerID.String(), UnitPrice: q.UnitPrice, Quantity: q.Pricing.Quantity}, ref)
	f.Reason = "the quoted unit price " + q.UnitPrice.String() + " differs from the plan's " + ref.String() +
		" for the same transaction conditions by more than the tolerance, and no exception explains it; correct the plan or the price"
	e := Refused(ArticleShaanxi37, "price_unexplained", "%s", f.Reason)
	e.Details = f
	return e
}
