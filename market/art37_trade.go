package market

import (
	"time"

	"github.com/shopspring/decimal"
)

// Trade is one recorded trade as the Art. 37 detector reads it: from the
// platform's ledger, or from the offline CSV or JSON Lines of docs/pricing.md.
// Optional evidence is nil or "" when absent.
type Trade struct {
	ID        string          `json:"trade_id"`
	Time      time.Time       `json:"time"`
	SellerID  string          `json:"seller_id"`
	ListingID string          `json:"listing_id"`
	BuyerID   string          `json:"buyer_id"`
	BuyerKind string          `json:"buyer_kind,omitempty"`
	UnitPrice Money           `json:"unit_price"`
	Quantity  decimal.Decimal `json:"quantity"`
	Amount    Money           `json:"amount"`
	// Conditions are the five transaction conditions of the trade.
	Conditions Conditions `json:"conditions"`
	// BuyerFirstTradeAt and BuyerPriorTrades are what the exporting
	// platform knew of the buyer's history with this seller.
	BuyerFirstTradeAt *time.Time `json:"buyer_first_trade_at,omitempty"`
	BuyerPriorTrades  *int       `json:"buyer_prior_trades,omitempty"`
	// Promotion evidence (exception (2)).
	PromotionID    string     `json:"promotion_id,omitempty"`
	PromotionKind  string     `json:"promotion_kind,omitempty"`
	PromotionStart *time.Time `json:"promotion_start,omitempty"`
	PromotionEnd   *time.Time `json:"promotion_end,omitempty"`
	// Tier evidence (exception (1)).
	TierID          string `json:"tier_id,omitempty"`
	TierCriteriaMet *bool  `json:"tier_criteria_met,omitempty"`
	// Random-allocation evidence (exception (3)).
	RandomRuleID string `json:"random_rule_id,omitempty"`
	RandomDrawID string `json:"random_draw_id,omitempty"`
	// Cost-difference evidence (exception (1), a cost the trade adds):
	// the cost item and its amount per unit.
	CostClaimID     string `json:"cost_claim_id,omitempty"`
	CostClaimAmount *Money `json:"cost_claim_amount,omitempty"`
	// TierCriteria are the claimed tier's criteria as the exporting
	// platform published them (the tier_criteria column), so that an
	// audit without the plan can check the trade meets them.
	TierCriteria *Criteria `json:"tier_criteria,omitempty"`
	// PlanVersion is the version of the price plan the trade was priced
	// under; 0 when the record does not say.
	PlanVersion int `json:"plan_version,omitempty"`
	// VersionColumn reports whether the trade's file had a plan_version
	// column at all (files without it are audited by inferred windows).
	VersionColumn bool `json:"-"`
	// DurationText is the duration as written when it was not a whole
	// number of months ("一年"); the vocabulary maps it.
	DurationText string `json:"-"`
	// Line is where the trade was read from (0 when not from a file).
	Line int `json:"-"`
}

// claims reports whether the trade claims any exception.
func (t *Trade) claims() bool {
	return t.PromotionID != "" || t.PromotionKind != "" || t.TierID != "" || t.RandomRuleID != "" || t.RandomDrawID != "" || t.CostClaimID != ""
}
