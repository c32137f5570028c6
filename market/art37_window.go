package market

import (
	"slices"
	"time"

	"github.com/shopspring/decimal"
)

// Window is a period between two price changes the detector inferred,
// when the trade records do not name the plan version: From inclusive, To
// exclusive; an absent bound is open.
type Window struct {
	From *time.Time `json:"from,omitempty"`
	To   *time.Time `json:"to,omitempty"`
}

func (w *Window) from() time.Time {
	if w == nil || w.From == nil {
		return time.Time{}
	}
	return *w.From
}

// PriceChange is a change of a listing's price for everyone in one set of
// conditions, inferred from trades without a plan version: from At on,
// every trade that claims no exception paid the new level and none the
// old. From and To are the lowest prices before and after.
type PriceChange struct {
	SellerID     string    `json:"seller_id"`
	ListingID    string    `json:"listing_id"`
	ConditionKey string    `json:"condition_key"`
	At           time.Time `json:"at"`
	From         Money     `json:"from_price"`
	To           Money     `json:"to_price"`
	TradesBefore int       `json:"trades_before"`
	TradesAfter  int       `json:"trades_after"`
}

// priceChangeMin returns the fewest trades and buyers a period needs
// before it counts as a price level of its own (defaults 3 and 2).
func (r *Art37Rules) priceChangeMin() (trades, buyers int) {
	trades, buyers = r.PriceChangeMinTrades, r.PriceChangeMinBuyers
	if trades == 0 {
		trades = 3
	}
	if buyers == 0 {
		buyers = 2
	}
	return trades, buyers
}

// windows splits group g, whose trades name no plan version, into the
// periods between the price changes its trades show, and records each
// change in a.changes. A price change for everyone (Shaanxi Art. 37: not
// discrimination) shows as a point in time before which every trade that
// claims no exception paid one set of price levels and after which every
// such trade paid other levels, each side with at least
// price_change_min_trades trades of price_change_min_buyers buyers. Two
// levels that alternate in time are never a change: they are a
// difference between buyers, compared in one period.
func (a *auditor) windows(g *auditGroup) []*auditGroup {
	minTrades, minBuyers := a.rs.Art37.priceChangeMin()
	var plain []int
	for _, i := range g.idx {
		if !a.trades[i].claims() {
			plain = append(plain, i)
		}
	}
	if len(plain) < 2*minTrades {
		return []*auditGroup{g}
	}
	slices.SortStableFunc(plain, func(x, y int) int { return a.trades[x].Time.Compare(a.trades[y].Time) })
	// Price levels: prices within the tolerance of a level's lowest
	// price are one level.
	ord := make([]int, len(plain))
	for k := range ord {
		ord[k] = k
	}
	price := func(k int) decimal.Decimal { return a.trades[plain[k]].UnitPrice.Decimal() }
	slices.SortStableFunc(ord, func(x, y int) int { return price(x).Cmp(price(y)) })
	level := make([]int, len(plain))
	lvl := -1
	var ceiling decimal.Decimal
	for _, k := range ord {
		if p := price(k); lvl < 0 || p.GreaterThan(ceiling) {
			lvl++
			ceiling = p.Mul(a.one.Add(a.tol))
		}
		level[k] = lvl
	}
	if lvl == 0 {
		return []*auditGroup{g}
	}
	last := make([]int, lvl+1)
	for k, l := range level {
		last[l] = k
	}
	// A cut before k when no level seen before k appears from k on.
	type seg struct{ lo, hi int }
	var segs []seg
	lo, reach := 0, -1
	for k := 0; k+1 < len(plain); k++ {
		reach = max(reach, last[level[k]])
		if reach == k && a.trades[plain[k+1]].Time.After(a.trades[plain[k]].Time) {
			segs = append(segs, seg{lo, k + 1})
			lo = k + 1
		}
	}
	segs = append(segs, seg{lo, len(plain)})
	enough := func(s seg) bool {
		if s.hi-s.lo < minTrades {
			return false
		}
		buyers := map[string]bool{}
		for _, i := range plain[s.lo:s.hi] {
			buyers[a.trades[i].BuyerID] = true
		}
		return len(buyers) >= minBuyers
	}
	var kept []seg
	for _, s := range segs {
		if n := len(kept); n > 0 && !enough(s) {
			kept[n-1].hi = s.hi
		} else {
			kept = append(kept, s)
		}
	}
	if len(kept) > 1 && !enough(kept[0]) {
		kept[1].lo = kept[0].lo
		kept = kept[1:]
	}
	if len(kept) == 1 {
		return []*auditGroup{g}
	}
	starts := make([]time.Time, len(kept))
	out := make([]*auditGroup, len(kept))
	lowest := func(s seg) Money {
		m := a.trades[plain[s.lo]].UnitPrice
		for _, i := range plain[s.lo:s.hi] {
			if p := a.trades[i].UnitPrice; p.Cmp(m) < 0 {
				m = p
			}
		}
		return m
	}
	for n, s := range kept {
		starts[n] = a.trades[plain[s.lo]].Time
		w := &Window{}
		if n > 0 {
			w.From = &starts[n]
			out[n-1].window.To = &starts[n]
			a.changes = append(a.changes, PriceChange{SellerID: g.seller, ListingID: g.listing, ConditionKey: g.key, At: starts[n],
				From: lowest(kept[n-1]), To: lowest(s), TradesBefore: kept[n-1].hi - kept[n-1].lo, TradesAfter: s.hi - s.lo})
		}
		out[n] = &auditGroup{seller: g.seller, listing: g.listing, key: g.key, window: w}
	}
	for _, i := range g.idx {
		t := a.trades[i].Time
		n := len(starts) - 1
		for n > 0 && t.Before(starts[n]) {
			n--
		}
		out[n].idx = append(out[n].idx, i)
	}
	return out
}
