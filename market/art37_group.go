package market

import (
	"encoding/binary"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/shopspring/decimal"
)

// auditor holds what one Audit run knows: the trades, their conditions
// in the vocabulary's values, their groups, each trade's history with its
// seller in the data, and the known plans.
type auditor struct {
	trades  []Trade
	normed  map[int]Conditions // the trades' conditions the vocabulary respelt
	rs      *RuleSet
	norm    *Normalizer
	plans   map[planKey]*PricePlan
	byPair  map[string][]*PricePlan // the plans of a seller and listing, by version
	groups  []*auditGroup
	history []tradeHistory
	unknown []PriceFlag // unrecognized_condition flags
	changes []PriceChange
	tol     decimal.Decimal
	one     decimal.Decimal
}

// planKey names one version of a listing's plan.
type planKey struct {
	seller, listing string
	version         int
}

// auditGroup is the trades of one seller and listing with one condition
// key, priced under one plan version (version > 0) or, when the records do
// not say, in one period between the price changes the detector inferred
// (window).
type auditGroup struct {
	seller, listing, key string
	version              int
	window               *Window
	idx                  []int
}

// tradeHistory is a trade's buyer's history with the seller as the data shows it.
type tradeHistory struct {
	prior   int       // earlier trades of this buyer with this seller in the data
	first   time.Time // the buyer's first trade with this seller in the data
	earlier int       // index of an earlier trade, or -1
	list    []int     // the buyer's trades with the seller, by time
}

func pairKey(a, b string) string { return a + "\x00" + b }

func newAuditor(trades []Trade, rs *RuleSet, plans []*PricePlan) *auditor {
	a := &auditor{trades: trades, rs: rs, norm: NewNormalizer(&rs.Art37), plans: map[planKey]*PricePlan{},
		byPair: map[string][]*PricePlan{}, tol: rs.Art37.Tolerance, one: decimal.NewFromInt(1)}
	for _, p := range plans {
		p = p.normalized(a.norm)
		a.plans[planKey{p.SellerID, p.ListingID, p.Version}] = p
		a.byPair[pairKey(p.SellerID, p.ListingID)] = append(a.byPair[pairKey(p.SellerID, p.ListingID)], p)
	}
	for _, ps := range a.byPair {
		slices.SortFunc(ps, func(x, y *PricePlan) int { return x.Version - y.Version })
	}
	// Two passes: number the groups and the buyer-seller pairs, then lay
	// their trade indexes out in two flat arrays (a counting sort), so a
	// million trades cost two allocations rather than a million.
	byKey := map[string]int{}
	byBuyer := make(map[[2]string]int, len(trades)/2)
	labels := newBandLabels(&rs.Art37)
	groupOf, pairOf := make([]int32, len(trades)), make([]int32, len(trades))
	var groupSize, pairSize []int
	buf := make([]byte, 0, 160)
	a.normed = map[int]Conditions{}
	unknown := newUnknownConditions()
	for i := range trades {
		t := &trades[i]
		c, bad := a.norm.Normalize(t.Conditions, t.DurationText)
		if c != t.Conditions {
			a.normed[i] = c
		}
		li, ok := byBuyer[[2]string{t.SellerID, t.BuyerID}]
		if !ok {
			li = len(pairSize)
			byBuyer[[2]string{t.SellerID, t.BuyerID}] = li
			pairSize = append(pairSize, 0)
		}
		pairOf[i] = int32(li)
		pairSize[li]++
		if bad != nil {
			// Shaanxi Art. 37(2): a value the vocabulary does not know
			// cannot be compared; it is reported, not made a group.
			unknown.add(t, bad)
			groupOf[i] = -1
			continue
		}
		version := a.versionOf(t)
		buf = append(append(append(append(buf[:0], t.SellerID...), 0), t.ListingID...), 0)
		buf = binary.BigEndian.AppendUint32(buf, uint32(version))
		head := len(buf)
		buf = c.appendKey(buf, &rs.Art37, labels)
		g, ok := byKey[string(buf)] // no allocation for the lookup
		if !ok {
			g = len(a.groups)
			byKey[string(buf)] = g
			a.groups = append(a.groups, &auditGroup{seller: t.SellerID, listing: t.ListingID, version: version, key: string(buf[head:])})
			groupSize = append(groupSize, 0)
		}
		groupOf[i] = int32(g)
		groupSize[g]++
	}
	a.unknown = unknown.flags(rs)
	groupIdx := layout(groupOf, groupSize)
	for g, grp := range a.groups {
		grp.idx = groupIdx[g]
	}
	a.history = make([]tradeHistory, len(trades))
	for _, idx := range layout(pairOf, pairSize) {
		if len(idx) > 1 {
			slices.SortStableFunc(idx, func(x, y int) int { return trades[x].Time.Compare(trades[y].Time) })
		}
		first := trades[idx[0]].Time
		prior := 0
		for n, i := range idx {
			// Trades at the same instant are not earlier than each other.
			for prior < n && trades[idx[prior]].Time.Before(trades[i].Time) {
				prior++
			}
			h := tradeHistory{prior: prior, first: first, earlier: -1, list: idx}
			if prior > 0 {
				h.earlier = idx[prior-1]
			}
			a.history[i] = h
		}
	}
	// Trades whose plan version is not known are split into the periods
	// between the price changes the detector infers.
	var split []*auditGroup
	for _, g := range a.groups {
		if g.version == 0 {
			split = append(split, a.windows(g)...)
		} else {
			split = append(split, g)
		}
	}
	a.groups = split
	sort.Slice(a.groups, func(i, j int) bool {
		x, y := a.groups[i], a.groups[j]
		if x.seller != y.seller {
			return x.seller < y.seller
		}
		if x.listing != y.listing {
			return x.listing < y.listing
		}
		if x.key != y.key {
			return x.key < y.key
		}
		if x.version != y.version {
			return x.version < y.version
		}
		return x.window.from().Before(y.window.from())
	})
	return a
}

// cond returns trade i's conditions in the vocabulary's values.
func (a *auditor) cond(i int) Conditions {
	if c, ok := a.normed[i]; ok {
		return c
	}
	return a.trades[i].Conditions
}

// versionOf returns the plan version trade t was priced under: the one
// its record names, else the one of the seller's known plans in effect at
// its time, else 0 (not known).
func (a *auditor) versionOf(t *Trade) int {
	if t.PlanVersion > 0 {
		return t.PlanVersion
	}
	ps := a.byPair[pairKey(t.SellerID, t.ListingID)]
	if len(ps) == 1 && ps[0].EffectiveFrom == nil {
		return ps[0].Version
	}
	for k := len(ps) - 1; k >= 0; k-- {
		if ps[k].EffectiveAt(t.Time) {
			return ps[k].Version
		}
	}
	return 0
}

// planOf returns the known plan of group g, or nil.
func (a *auditor) planOf(g *auditGroup) *PricePlan {
	if g.version == 0 {
		return nil
	}
	return a.plans[planKey{g.seller, g.listing, g.version}]
}

// layout returns, for each bucket b, the indexes i with of[i] == b in
// ascending order, as windows of one flat array.
func layout(of []int32, size []int) [][]int {
	flat := make([]int, len(of))
	out := make([][]int, len(size))
	off := 0
	for b, n := range size {
		out[b] = flat[off : off : off+n]
		off += n
	}
	for i, b := range of {
		if b >= 0 {
			out[b] = append(out[b], i)
		}
	}
	return out
}

// spend returns the total amount of the buyer's trades with the seller
// before trade i, in the data.
func (a *auditor) spend(i int) decimal.Decimal {
	h := &a.history[i]
	s := decimal.Zero
	for _, j := range h.list[:h.prior] {
		s = s.Add(a.trades[j].Amount.Decimal())
	}
	return s
}

// group audits one group: it evaluates every trade's exceptions, finds the
// reference, flags the unexplained differences and runs the habit test.
func (a *auditor) group(g *auditGroup) []PriceFlag {
	plan := a.planOf(g)
	evals := make([]tradeEval, len(g.idx))
	var rejected []RejectedException
	for n, i := range g.idx {
		evals[n] = a.evaluate(i, plan)
	}
	var ref Money
	haveRef := false
	if plan == nil {
		for n, i := range g.idx {
			if !evals[n].explained && (!haveRef || a.trades[i].UnitPrice.Cmp(ref) < 0) {
				ref, haveRef = a.trades[i].UnitPrice, true
			}
		}
		if haveRef {
			for n, i := range g.idx {
				a.checkAgainstLowest(&evals[n], &a.trades[i], ref)
			}
		}
		for n := range evals {
			evals[n].ref, evals[n].hasRef = ref, haveRef
		}
	}
	for n := range evals {
		rejected = append(rejected, evals[n].rejected...)
	}
	if rejected == nil {
		rejected = []RejectedException{}
	}
	var flags []PriceFlag
	if f := a.priceDifference(g, plan, evals, rejected); f != nil {
		flags = append(flags, *f)
	}
	h := a.habit(g, plan, evals, rejected)
	if f := a.loyaltyTier(g, plan, evals, rejected); f != nil {
		if h == nil {
			h = f
		} else {
			// One habit pattern, shown by the statistics and by the tier.
			h.Reason += "; " + f.Reason
		}
	}
	if h != nil {
		flags = append(flags, *h)
	}
	return flags
}

// priceDifference flags the unexplained trades whose price is beyond the
// tolerance from their reference.
func (a *auditor) priceDifference(g *auditGroup, plan *PricePlan, evals []tradeEval, rejected []RejectedException) *PriceFlag {
	var f *PriceFlag
	var ref, lo, hi decimal.Decimal // the bounds of the last reference seen
	haveBounds := false
	for n, i := range g.idx {
		e := &evals[n]
		t := &a.trades[i]
		if e.explained || !e.hasRef {
			continue
		}
		if r := e.ref.Decimal(); !haveBounds || !r.Equal(ref) {
			ref, lo, hi, haveBounds = r, r.Mul(a.one.Sub(a.tol)), r.Mul(a.one.Add(a.tol)), true
		}
		// Within the tolerance: |price − ref| ≤ ref·tol.
		if p := t.UnitPrice.Decimal(); p.Cmp(lo) >= 0 && p.Cmp(hi) <= 0 {
			continue
		}
		if f == nil {
			f = a.newFlag(g, plan, KindPriceDifference, e.ref, rejected)
		}
		f.add(t, e.ref)
	}
	if f != nil {
		f.Reason = fmt.Sprintf("%d trade(s) under the same transaction conditions (%s) paid a price more than %s%% away from the reference %s, and no exception explains it",
			len(f.TradeIDs), g.key, a.tol.Shift(2).String(), f.ReferencePrice)
	}
	return f
}

func (a *auditor) newFlag(g *auditGroup, plan *PricePlan, kind string, ref Money, rejected []RejectedException) *PriceFlag {
	f := &PriceFlag{Rule: RuleShaanxi37, Article: ArticleShaanxi37, Kind: kind, SellerID: g.seller, ListingID: g.listing,
		ConditionKey: g.key, TradeIDs: []string{}, ReferencePrice: ref, ReferenceSource: "lowest_in_group",
		PlanVersion: g.version, Window: g.window, Overcharges: []Overcharge{}, ExceptionsRejected: rejected}
	if plan != nil {
		f.ReferenceSource = "plan"
	}
	return f
}

// add records trade t as at fault against reference ref.
func (f *PriceFlag) add(t *Trade, ref Money) {
	diff := t.UnitPrice.Sub(ref)
	o := Overcharge{TradeID: t.ID, BuyerID: t.BuyerID, UnitPrice: t.UnitPrice, ReferencePrice: ref, Difference: diff,
		Quantity: t.Quantity, Overcharge: Money{}}
	if !ref.IsZero() {
		o.Relative = diff.Decimal().Div(ref.Decimal()).Round(6)
	}
	if diff.Decimal().IsPositive() {
		o.Overcharge = diff.Mul(t.Quantity).Round()
	}
	f.TradeIDs = append(f.TradeIDs, t.ID)
	f.Overcharges = append(f.Overcharges, o)
	f.OverchargeTotal = f.OverchargeTotal.Add(o.Overcharge)
}
