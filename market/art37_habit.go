package market

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"

	"github.com/shopspring/decimal"
)

// HabitEvidence is the statistics behind a habit-pattern flag ("杀熟"):
// the loyalty measure prices rise with most, Spearman's rank correlation,
// the one-sided permutation p-value (the maximum over the three measures
// is the test statistic, so testing three measures does not inflate it),
// the number of permutations, and the effect: the mean price of the most
// loyal quarter of trades over that of the least loyal quarter, minus one.
type HabitEvidence struct {
	Measure        string          `json:"measure"` // prior_trades, spend or tenure
	Rho            float64         `json:"rho"`
	PValue         float64         `json:"p_value"`
	Permutations   int             `json:"permutations"`
	Trades         int             `json:"trades"`
	LeastLoyalMean Money           `json:"least_loyal_mean"`
	MostLoyalMean  Money           `json:"most_loyal_mean"`
	Effect         decimal.Decimal `json:"effect"`
}

// loyaltyMeasures names the measures of a buyer's loyalty to a seller.
var loyaltyMeasures = [3]string{"prior_trades", "spend", "tenure"}

// habit runs the habit-pattern test on the group's unexplained trades: a
// flag when prices rise with loyalty (ρ > 0, p < alpha) and the effect
// exceeds the tolerance, even when no single difference does.
func (a *auditor) habit(g *auditGroup, plan *PricePlan, evals []tradeEval, rejected []RejectedException) *PriceFlag {
	var u []int
	var first Money
	sameRef := true
	for n, i := range g.idx {
		if e := &evals[n]; !e.explained && e.hasRef {
			if len(u) == 0 {
				first = e.ref
			} else if sameRef && e.ref.Cmp(first) != 0 {
				sameRef = false
			}
			u = append(u, i)
		}
	}
	r := &a.rs.Art37
	n := len(u)
	if n < r.HabitMinTrades || n < 4 {
		return nil
	}
	// The reference is the mean of the trades' references (one value
	// unless a plan prices the trades of a band differently).
	ref := first.Decimal()
	if !sameRef {
		sum := decimal.Zero
		for k := range g.idx {
			if e := &evals[k]; !e.explained && e.hasRef {
				sum = sum.Add(e.ref.Decimal())
			}
		}
		ref = sum.Div(decimal.NewFromInt(int64(n)))
	}
	if !ref.IsPositive() {
		return nil
	}
	// The effect can never exceed the spread of the prices: when the
	// spread is within the tolerance, there is nothing to test.
	lo, hi := a.trades[u[0]].UnitPrice, a.trades[u[0]].UnitPrice
	for _, i := range u[1:] {
		if p := a.trades[i].UnitPrice; p.Cmp(lo) < 0 {
			lo = p
		} else if p.Cmp(hi) > 0 {
			hi = p
		}
	}
	if !hi.Sub(lo).Decimal().GreaterThan(ref.Mul(r.Tolerance)) {
		return nil
	}
	// Ranks need only the order of the values, so they are taken over
	// float64 images of the decimals (monotone; no money arithmetic).
	pk, k0, k1, k2 := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for k, i := range u {
		pk[k] = a.trades[i].UnitPrice.Decimal().InexactFloat64()
		k0[k] = float64(a.prior(i))
		k1[k] = a.spend(i).InexactFloat64()
		k2[k] = float64(a.tenure(i))
	}
	price := ranks(pk)
	loyal := [3][]float64{ranks(k0), ranks(k1), ranks(k2)}
	y := center(price)
	if y == nil {
		return nil // every price the same
	}
	var xs [3][]float64
	best, bestRho := -1, 0.0
	for m := range loyal {
		xs[m] = center(loyal[m])
		if xs[m] == nil {
			continue
		}
		if rho := dot(xs[m], y); rho > bestRho {
			best, bestRho = m, rho
		}
	}
	if best < 0 {
		return nil
	}
	// The effect: most loyal quarter against least loyal quarter.
	order := make([]int, n)
	for k := range order {
		order[k] = k
	}
	sort.SliceStable(order, func(p, q int) bool { return loyal[best][order[p]] < loyal[best][order[q]] })
	qn := max(1, n/4)
	low, high := decimal.Zero, decimal.Zero
	for k := 0; k < qn; k++ {
		low = low.Add(a.trades[u[order[k]]].UnitPrice.Decimal())
		high = high.Add(a.trades[u[order[n-1-k]]].UnitPrice.Decimal())
	}
	qd := decimal.NewFromInt(int64(qn))
	low, high = low.Div(qd).Round(4), high.Div(qd).Round(4)
	effect := high.Sub(low).Div(ref).Round(6)
	if !effect.GreaterThan(r.Tolerance) {
		return nil
	}
	// Pre-screen: under no association ρ·√(n−1) is about standard normal.
	// Below 85 % of the normal quantile of alpha (1.98 for 0.01: one-sided
	// p ≈ 0.024 for one measure, more for the largest of three) the
	// permutation test cannot reach p < alpha, so it is not run.
	alpha, _ := r.HabitAlpha.Float64()
	if z := math.Sqrt2 * math.Erfinv(1-2*alpha); bestRho*math.Sqrt(float64(n-1)) < 0.85*z {
		return nil
	}
	p, perms := a.permutationP(g, xs, y, bestRho)
	if p >= alpha {
		return nil
	}
	f := a.newFlag(g, plan, KindHabitPattern, NewMoney(low), rejected)
	f.ReferenceSource = "least_loyal_quarter"
	f.Habit = &HabitEvidence{Measure: loyaltyMeasures[best], Rho: math.Round(bestRho*1e4) / 1e4, PValue: p, Permutations: perms,
		Trades: n, LeastLoyalMean: NewMoney(low), MostLoyalMean: NewMoney(high), Effect: effect}
	for _, k := range order[qn:] {
		t := &a.trades[u[k]]
		if t.UnitPrice.Decimal().GreaterThan(low) {
			f.add(t, NewMoney(low))
		}
	}
	f.Reason = fmt.Sprintf("prices rise with buyers' loyalty (%s): Spearman ρ=%.3f, permutation p=%.4f over %d trades; the most loyal quarter paid %s%% more than the least loyal",
		loyaltyMeasures[best], bestRho, p, n, effect.Shift(2).StringFixed(2))
	return f
}

// prior is the buyer's earlier trades with the seller: the exporting
// platform's count or the data's, whichever is larger.
func (a *auditor) prior(i int) int {
	n := a.history[i].prior
	if c := a.trades[i].BuyerPriorTrades; c != nil && *c > n {
		n = *c
	}
	return n
}

// tenure is the seconds since the buyer's first trade with the seller.
func (a *auditor) tenure(i int) int64 {
	t := &a.trades[i]
	first := a.history[i].first
	if t.BuyerFirstTradeAt != nil && t.BuyerFirstTradeAt.Before(first) {
		first = *t.BuyerFirstTradeAt
	}
	return int64(t.Time.Sub(first).Seconds())
}

// permutationP returns the one-sided permutation p-value of the largest
// correlation over the measures, (1 + #{max ρ* ≥ observed}) / (N + 1), with
// a generator seeded from the rule set and the group so that it replays.
// It stops early once p cannot fall below alpha.
func (a *auditor) permutationP(g *auditGroup, xs [3][]float64, y []float64, observed float64) (float64, int) {
	r := &a.rs.Art37
	sum := sha256.Sum256([]byte(r.HabitSeed + "\x00" + g.seller + "\x00" + g.listing + "\x00" + g.key))
	rng := rand.New(rand.NewPCG(binary.BigEndian.Uint64(sum[:8]), binary.BigEndian.Uint64(sum[8:16])))
	alpha, _ := r.HabitAlpha.Float64()
	total := r.HabitPermutations
	stop := int(math.Ceil(alpha*float64(total+1))) - 1 // count at which p ≥ alpha
	perm := append([]float64(nil), y...)
	count := 0
	for k := 1; k <= total; k++ {
		rng.Shuffle(len(perm), func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
		for m := range xs {
			if xs[m] != nil && dot(xs[m], perm) >= observed-1e-12 {
				count++
				break
			}
		}
		if count >= stop {
			return float64(count+1) / float64(k+1), k
		}
	}
	return float64(count+1) / float64(total+1), total
}

// ranks returns the 1-based ranks of v, ties getting their mean rank.
func ranks(v []float64) []float64 {
	n := len(v)
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(x, y int) int { return cmp.Compare(v[x], v[y]) })
	out := make([]float64, n)
	for s := 0; s < n; {
		e := s + 1
		for e < n && v[idx[e]] == v[idx[s]] {
			e++
		}
		r := float64(s+e+1) / 2
		for k := s; k < e; k++ {
			out[idx[k]] = r
		}
		s = e
	}
	return out
}

// center returns v minus its mean, scaled to unit length, or nil when v is constant.
func center(v []float64) []float64 {
	mean := 0.0
	for _, x := range v {
		mean += x
	}
	mean /= float64(len(v))
	out := make([]float64, len(v))
	ss := 0.0
	for i, x := range v {
		out[i] = x - mean
		ss += out[i] * out[i]
	}
	if ss < 1e-18 {
		return nil
	}
	norm := math.Sqrt(ss)
	for i := range out {
		out[i] /= norm
	}
	return out
}

// dot returns Σ x·y; for centered unit vectors of ranks it is Spearman's ρ.
func dot(x, y []float64) float64 {
	s := 0.0
	for i := range x {
		s += x[i] * y[i]
	}
	return s
}
