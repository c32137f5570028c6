package market

import (
	"runtime"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/shopspring/decimal"
)

// Art. 37 identifiers written into flags.
const (
	// RuleShaanxi37 is the rule id of every Art. 37 flag.
	RuleShaanxi37 = "shaanxi-37"
	// ArticleShaanxi37 is the article every Art. 37 flag cites.
	ArticleShaanxi37 = "Shaanxi Art. 37"
	// KindPriceDifference: a price differs from the group's reference beyond
	// the tolerance and no exception explains it.
	KindPriceDifference = "price_difference"
	// KindHabitPattern: prices rise with buyers' loyalty ("杀熟").
	KindHabitPattern = "habit_pattern"
	// KindSelectivePriceChange: a new plan version was applied to some
	// buyers while others in the same conditions were still charged under
	// the old one — a change for some, not for everyone.
	KindSelectivePriceChange = "selective_price_change"
)

// How an audit told the periods of one price apart (AuditResult.Periods).
const (
	// PeriodsPlanVersion: every trade named the plan version it was priced under.
	PeriodsPlanVersion = "plan_version"
	// PeriodsInferred: no trade named its plan version; prices are compared
	// between the price changes the detector inferred from times and prices.
	PeriodsInferred = "inferred_price_changes"
	// PeriodsMixed: some trades named their version, others did not.
	PeriodsMixed = "plan_version_and_inferred_price_changes"
)

// PriceFlag is one finding of the Art. 37 detector, with its evidence:
// the seller and listing, the condition key of the group, the trades at
// fault, the reference price, the overcharge per trade and in total, and
// every exception considered in the group and why it was rejected.
type PriceFlag struct {
	Rule               string                  `json:"rule"`
	Article            string                  `json:"article"`
	Kind               string                  `json:"kind"`
	SellerID           string                  `json:"seller_id"`
	ListingID          string                  `json:"listing_id"`
	ConditionKey       string                  `json:"condition_key"`
	TradeIDs           []string                `json:"trade_ids"`
	ReferencePrice     Money                   `json:"reference_price"`
	ReferenceSource    string                  `json:"reference_source"` // "plan", "lowest_in_group", "least_loyal_quarter", "earlier_version" or "none"
	PlanVersion        int                     `json:"plan_version,omitempty"`
	Window             *Window                 `json:"window,omitempty"`
	Unrecognized       []UnrecognizedCondition `json:"unrecognized,omitempty"`
	Overcharges        []Overcharge            `json:"overcharges"`
	OverchargeTotal    Money                   `json:"overcharge_total"`
	ExceptionsRejected []RejectedException     `json:"exceptions_rejected"`
	Habit              *HabitEvidence          `json:"habit,omitempty"`
	Reason             string                  `json:"reason"`
}

// Overcharge is one trade at fault: its unit price against its reference,
// the difference per unit (negative for an unexplained favour to this
// buyer) and the overcharge, difference × quantity, never below zero.
type Overcharge struct {
	TradeID        string          `json:"trade_id"`
	BuyerID        string          `json:"buyer_id"`
	UnitPrice      Money           `json:"unit_price"`
	ReferencePrice Money           `json:"reference_price"`
	Difference     Money           `json:"difference"`
	Relative       decimal.Decimal `json:"relative"`
	Quantity       decimal.Decimal `json:"quantity"`
	Overcharge     Money           `json:"overcharge"`
}

// RejectedException is an exception a trade claimed (or that was
// considered for it) and why its evidence did not check out.
type RejectedException struct {
	TradeID   string    `json:"trade_id"`
	Exception Exception `json:"exception"`
	ID        string    `json:"id,omitempty"`
	Reason    string    `json:"reason"`
}

// AuditResult is the outcome of a batch audit: the flags, and how many
// groups and trades were compared, under which rule set and tolerance.
//
// Periods says how trades of one price period were told apart: by the
// plan version they name, or by the price changes the detector inferred
// (PriceChanges, each one a change for everyone, not flagged), or both;
// Notes say so in words.
type AuditResult struct {
	Flags          []PriceFlag     `json:"flags"`
	Groups         int             `json:"groups"`
	Trades         int             `json:"trades"`
	RuleSetVersion int             `json:"ruleset_version"`
	Tolerance      decimal.Decimal `json:"tolerance"`
	Periods        string          `json:"periods"`
	PriceChanges   []PriceChange   `json:"price_changes"`
	Notes          []string        `json:"notes"`
}

// Audit runs the Shaanxi Art. 37 detector over trades under rule set rs
// (its tolerance, bands, promotion limit, habit test and legal
// exceptions), with plans the known price plans (may be empty; matched to
// trades by seller_id and listing_id).
//
// Trades are grouped by seller, listing and condition key. In a group the
// reference is the plan's price for the trade's conditions when the plan is
// known, otherwise the lowest price among the trades no exception
// explains. A price beyond the tolerance from it is flagged unless an
// exception applies and its evidence checks out; a habit pattern is
// flagged on its own. The result is deterministic (flags sorted by seller,
// listing, key; the permutation test seeded from the rule set).
// Audit does not modify trades; it is safe for concurrent use.
func Audit(trades []Trade, rs *RuleSet, plans []*PricePlan) AuditResult {
	a := newAuditor(trades, rs, plans)
	res := AuditResult{Flags: []PriceFlag{}, Groups: len(a.groups), Trades: len(trades),
		RuleSetVersion: rs.Version, Tolerance: rs.Art37.Tolerance, PriceChanges: a.changes, Notes: []string{}}
	if res.PriceChanges == nil {
		res.PriceChanges = []PriceChange{}
	}
	res.Periods, res.Notes = a.periods()
	// Groups are independent: audit them on every core, then collect the
	// flags in group order.
	found := make([][]PriceFlag, len(a.groups))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range max(1, min(runtime.GOMAXPROCS(0), len(a.groups))) {
		wg.Go(func() {
			for {
				g := int(next.Add(1)) - 1
				if g >= len(a.groups) {
					return
				}
				found[g] = a.group(a.groups[g])
			}
		})
	}
	wg.Wait()
	for _, f := range found {
		res.Flags = append(res.Flags, f...)
	}
	res.Flags = append(res.Flags, a.unknown...)
	res.Flags = append(res.Flags, a.selectiveChanges()...)
	sort.SliceStable(res.Flags, func(i, j int) bool {
		x, y := res.Flags[i], res.Flags[j]
		if x.SellerID != y.SellerID {
			return x.SellerID < y.SellerID
		}
		if x.ListingID != y.ListingID {
			return x.ListingID < y.ListingID
		}
		if x.ConditionKey != y.ConditionKey {
			return x.ConditionKey < y.ConditionKey
		}
		if x.PlanVersion != y.PlanVersion {
			return x.PlanVersion < y.PlanVersion
		}
		if wx, wy := x.Window.from(), y.Window.from(); !wx.Equal(wy) {
			return wx.Before(wy)
		}
		return x.Kind < y.Kind
	})
	return res
}
