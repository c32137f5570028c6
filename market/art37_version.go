package market

import (
	"fmt"
	"time"
)

// periods returns how the audit told price periods apart, and the notes
// the report carries about it.
func (a *auditor) periods() (string, []string) {
	versioned, inferred, noColumn := 0, 0, 0
	for _, g := range a.groups {
		if g.version > 0 {
			versioned += len(g.idx)
		} else {
			inferred += len(g.idx)
			for _, i := range g.idx {
				if !a.trades[i].VersionColumn {
					noColumn++
				}
			}
		}
	}
	notes := []string{}
	if inferred > 0 {
		why := "they name no plan version"
		if noColumn == inferred {
			why = "the trade file has no plan_version column"
		}
		notes = append(notes, fmt.Sprintf("%d trade(s) were audited by time: %s, so they were compared within the periods between the %d price change(s) the detector inferred from their times and prices (a change for everyone is not discrimination, Shaanxi Art. 37; see price_changes)",
			inferred, why, len(a.changes)))
	}
	switch {
	case inferred == 0:
		return PeriodsPlanVersion, notes
	case versioned == 0:
		return PeriodsInferred, notes
	}
	return PeriodsMixed, notes
}

// versionSpan is what the selective-change test needs of one version's
// trades in one set of conditions.
type versionSpan struct {
	g           *auditGroup
	first, last time.Time
	ref         Money
}

// selectiveChanges flags a plan version applied to some buyers only
// (Shaanxi Art. 37): for one seller, listing and condition key, trades
// under an older version still made after the first trade under a newer
// one, at a price beyond the tolerance from it. A change for everyone
// leaves no such overlap and is not flagged. The trades at fault are those
// of the dearer version in the overlap; the reference is the cheaper
// version's price (its plan price when the plan is known, else its lowest
// price among trades that claim no exception).
func (a *auditor) selectiveChanges() []PriceFlag {
	var flags []PriceFlag
	for s := 0; s < len(a.groups); {
		e := s
		for e < len(a.groups) && a.groups[e].seller == a.groups[s].seller && a.groups[e].listing == a.groups[s].listing && a.groups[e].key == a.groups[s].key {
			e++
		}
		var spans []versionSpan
		for _, g := range a.groups[s:e] {
			if sp, ok := a.span(g); ok {
				spans = append(spans, sp)
			}
		}
		for x := 0; x < len(spans); x++ {
			for y := x + 1; y < len(spans); y++ {
				if f := a.overlap(spans[x], spans[y]); f != nil {
					flags = append(flags, *f)
				}
			}
		}
		s = e
	}
	return flags
}

func (a *auditor) span(g *auditGroup) (versionSpan, bool) {
	if g.version == 0 || len(g.idx) == 0 {
		return versionSpan{}, false
	}
	sp := versionSpan{g: g, first: a.trades[g.idx[0]].Time, last: a.trades[g.idx[0]].Time}
	have := false
	plan := a.planOf(g)
	for _, i := range g.idx {
		t := &a.trades[i]
		if t.Time.Before(sp.first) {
			sp.first = t.Time
		}
		if t.Time.After(sp.last) {
			sp.last = t.Time
		}
		switch {
		case plan != nil:
			if p, _ := plan.ListUnitPrice(a.cond(i)); !have || p.Cmp(sp.ref) < 0 {
				sp.ref, have = p, true
			}
		case !t.claims() && (!have || t.UnitPrice.Cmp(sp.ref) < 0):
			sp.ref, have = t.UnitPrice, true
		}
	}
	return sp, have
}

// overlap flags the two versions' spans when the older was still used
// after the newer began and their prices differ beyond the tolerance.
func (a *auditor) overlap(old, nw versionSpan) *PriceFlag {
	if old.g.version > nw.g.version {
		old, nw = nw, old
	}
	if old.last.Before(nw.first) {
		return nil // the newer version replaced the older for everyone
	}
	cheap, dear := old, nw
	if dear.ref.Cmp(cheap.ref) < 0 {
		cheap, dear = dear, cheap
	}
	limit := cheap.ref.Decimal().Mul(a.one.Add(a.tol))
	if !dear.ref.Decimal().GreaterThan(limit) {
		return nil
	}
	from, to := nw.first, old.last
	f := a.newFlag(dear.g, nil, KindSelectivePriceChange, cheap.ref, []RejectedException{})
	f.ReferenceSource = "earlier_version"
	if cheap.g.version > dear.g.version {
		f.ReferenceSource = "later_version"
	}
	for _, i := range dear.g.idx {
		t := &a.trades[i]
		if !t.Time.Before(from) && !t.Time.After(to) && t.UnitPrice.Decimal().GreaterThan(limit) {
			f.add(t, cheap.ref)
		}
	}
	if len(f.TradeIDs) == 0 {
		return nil
	}
	f.Reason = fmt.Sprintf("from %s to %s, %d trade(s) under the same transaction conditions (%s) were priced under plan version %d (%s) while other buyers were still charged under version %d (%s): a price change for some buyers, not for everyone",
		from.Format(time.RFC3339), to.Format(time.RFC3339), len(f.TradeIDs), dear.g.key, dear.g.version, dear.ref, cheap.g.version, cheap.ref)
	return f
}
