package market

import (
	_ "embed"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// RuleSet is the versioned, operator-edited data the Art. 36 gate and the
// Art. 37 detector read: the negative list of categories banned by law,
// the authorization scopes the platform knows, the Art. 37 tolerance and
// numeric bands, the longest reasonable new-customer promotion, and the
// legal exceptions operators configure. Every gate decision and audit
// records the Version it used. A RuleSet is not modified once in use; it is
// safe for concurrent reads.
type RuleSet struct {
	Version int `json:"version"`
	// NegativeList holds product categories whose trade the law bans
	// (Shaanxi Art. 36(3)).
	NegativeList []NegativeCategory `json:"negative_list"`
	// KnownScopes is the scope list of rule sets written before the
	// vocabulary (Scopes); "trading" and "resale" permit sale.
	KnownScopes []string `json:"known_scopes,omitempty"`
	// Scopes is the authorization-scope vocabulary (ruleset_scope.go): a
	// scope outside it sends the listing to review, naming the word.
	Scopes []ScopeTerm `json:"scopes,omitempty"`
	// ContentSignatures find banned and restricted content in the data
	// itself (art36_content.go; Shaanxi Art. 36(3), Art. 65).
	ContentSignatures []ContentSignature `json:"content_signatures,omitempty"`
	// Export holds the export classes of Shaanxi Art. 72: thresholds and
	// exemptions with their sources (export_class.go).
	Export *ExportRules `json:"export,omitempty"`
	// Art37 holds the parameters of the price-discrimination detector.
	Art37 Art37Rules `json:"art37"`
	// LegalExceptions are the Art. 37(4) cases operators configure.
	LegalExceptions []LegalException `json:"legal_exceptions"`
}

// NegativeCategory is one entry of the negative list: a category and the
// law that bans trading it.
type NegativeCategory struct {
	Category string `json:"category"`
	Basis    string `json:"basis"`
}

// Art37Rules are the parameters of the Shaanxi Art. 37 detector.
type Art37Rules struct {
	// Tolerance is the relative price difference (0.01 = 1 %) a group
	// tolerates without an exception.
	Tolerance decimal.Decimal `json:"tolerance"`
	// MaxPromotionDays is the longest reasonable new-customer promotion
	// (Art. 37 exception (2)); 90 by default.
	MaxPromotionDays int `json:"max_promotion_days"`
	// VolumeBands are ascending band edges for the volume of the cost
	// factor; empty means volumes are compared exactly.
	VolumeBands []decimal.Decimal `json:"volume_bands"`
	// DurationBands are ascending band edges (months) for the duration
	// factor; empty means durations are compared exactly.
	DurationBands []int `json:"duration_bands"`
	// HabitMinTrades is the smallest group the habit-pattern test runs on.
	HabitMinTrades int `json:"habit_min_trades"`
	// HabitPermutations is the number of permutations of the test.
	HabitPermutations int `json:"habit_permutations"`
	// HabitAlpha is the significance level of the test (0.01).
	HabitAlpha decimal.Decimal `json:"habit_alpha"`
	// HabitSeed seeds the permutations, so an audit replays exactly.
	HabitSeed string `json:"habit_seed"`
	// PriceChangeMinTrades and PriceChangeMinBuyers are the fewest trades
	// and distinct buyers a price level needs, when a trade file records
	// no plan version, before the detector takes it for a price change
	// for everyone rather than a difference between buyers (3 and 2).
	PriceChangeMinTrades int `json:"price_change_min_trades"`
	PriceChangeMinBuyers int `json:"price_change_min_buyers"`
	// Vocabulary is the controlled vocabulary of the transaction
	// conditions: values are compared after it maps their spellings.
	Vocabulary Vocabulary `json:"vocabulary"`
}

// LegalException is an Art. 37(4) case configured by an operator: prices
// of the matching trades may differ because a law allows it (Basis). Empty
// match fields match every value.
type LegalException struct {
	ID          string `json:"id"`
	Basis       string `json:"basis"`
	Description string `json:"description,omitempty"`
	SellerID    string `json:"seller_id,omitempty"`
	ListingID   string `json:"listing_id,omitempty"`
	BuyerKind   string `json:"buyer_kind,omitempty"`
	// ValidFrom and ValidTo bound the trade times it covers (inclusive
	// calendar dates, China Standard Time); zero means unbounded.
	ValidFrom Date `json:"valid_from"`
	ValidTo   Date `json:"valid_to"`
}

// Covers reports whether the exception applies to a trade of seller and
// listing with a buyer of buyerKind at time at.
func (e LegalException) Covers(seller, listing, buyerKind string, at time.Time) bool {
	if e.SellerID != "" && e.SellerID != seller ||
		e.ListingID != "" && e.ListingID != listing ||
		e.BuyerKind != "" && e.BuyerKind != buyerKind {
		return false
	}
	if !e.ValidFrom.IsZero() && at.Before(e.ValidFrom.Start()) {
		return false
	}
	if !e.ValidTo.IsZero() && !at.Before(e.ValidTo.End()) {
		return false
	}
	return true
}

// Banned returns the negative-list entry for category, compared without
// regard to case or surrounding space, and whether there is one.
func (rs *RuleSet) Banned(category string) (NegativeCategory, bool) {
	c := strings.ToLower(strings.TrimSpace(category))
	for _, n := range rs.NegativeList {
		if strings.ToLower(strings.TrimSpace(n.Category)) == c {
			return n, true
		}
	}
	return NegativeCategory{}, false
}

//go:embed ruleset_default.json
var defaultRuleSetJSON []byte

// DefaultRuleSet returns a fresh copy of the rule set shipped with
// Shujiao (market/ruleset_default.json). It panics only if that embedded
// file is invalid, which its test rules out.
func DefaultRuleSet() *RuleSet {
	rs, err := ParseRuleSet(defaultRuleSetJSON)
	if err != nil {
		panic("market: embedded default rule set: " + err.Error())
	}
	return rs
}

// DefaultRuleSetJSON returns the embedded default rule set as JSON.
func DefaultRuleSetJSON() []byte { return append([]byte(nil), defaultRuleSetJSON...) }
