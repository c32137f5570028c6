package market

import (
	"fmt"
	"sort"
	"strings"
)

// KindUnrecognizedCondition: a trade's transaction condition has a value
// the rule set's vocabulary does not know, so the trade cannot be compared
// with others under Shaanxi Art. 37(2) until an operator maps the value
// (or the seller's records are corrected).
const KindUnrecognizedCondition = "unrecognized_condition"

// unknownConditions collects, per seller and listing, the trades whose
// conditions the vocabulary does not know and the values at fault.
type unknownConditions struct {
	by map[string]*PriceFlag
}

func newUnknownConditions() *unknownConditions {
	return &unknownConditions{by: map[string]*PriceFlag{}}
}

func (u *unknownConditions) add(t *Trade, bad []UnrecognizedCondition) {
	k := pairKey(t.SellerID, t.ListingID)
	f := u.by[k]
	if f == nil {
		f = &PriceFlag{Rule: RuleShaanxi37, Article: ArticleShaanxi37, Kind: KindUnrecognizedCondition, SellerID: t.SellerID,
			ListingID: t.ListingID, TradeIDs: []string{}, ReferenceSource: "none", Overcharges: []Overcharge{},
			ExceptionsRejected: []RejectedException{}}
		u.by[k] = f
	}
	f.TradeIDs = append(f.TradeIDs, t.ID)
	for _, b := range bad {
		if !containsUnrecognized(f.Unrecognized, b) {
			f.Unrecognized = append(f.Unrecognized, b)
		}
	}
}

func containsUnrecognized(list []UnrecognizedCondition, b UnrecognizedCondition) bool {
	for _, x := range list {
		if x.Field == b.Field && FoldTerm(x.Value) == FoldTerm(b.Value) {
			return true
		}
	}
	return false
}

// flags returns one flag per seller and listing, its condition key the
// unknown values ("stage=smuggled").
func (u *unknownConditions) flags(rs *RuleSet) []PriceFlag {
	out := make([]PriceFlag, 0, len(u.by))
	for _, f := range u.by {
		sort.Slice(f.Unrecognized, func(i, j int) bool {
			x, y := f.Unrecognized[i], f.Unrecognized[j]
			return x.Field < y.Field || x.Field == y.Field && x.Value < y.Value
		})
		parts := make([]string, len(f.Unrecognized))
		for i, b := range f.Unrecognized {
			parts[i] = b.Field + "=" + b.Value
		}
		f.ConditionKey = strings.Join(parts, ";")
		f.Reason = fmt.Sprintf("%d trade(s) record transaction conditions the vocabulary of rule set %d does not know (%s): they cannot be compared with trades under the same conditions until the values are mapped or corrected",
			len(f.TradeIDs), rs.Version, strings.Join(parts, ", "))
		out = append(out, *f)
	}
	return out
}
