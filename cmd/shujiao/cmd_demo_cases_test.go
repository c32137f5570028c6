package main

import (
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/market"
)

// TestDemoTrades_ShaanxiArt37_OnePriceChangeAndOneTierDiscrimination: the
// demo world's Art. 37 trades show a price change for everyone (inferred,
// not flagged) and a repeat buyer's 30 % "tier" (flagged), under the rule
// set shipped with Shujiao.
func TestDemoTrades_ShaanxiArt37_OnePriceChangeAndOneTierDiscrimination(t *testing.T) {
	w := &demoWorld{now: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC), accounts: map[string]*demoAccount{}}
	for _, k := range []string{"seller-a", "buyer-a", "buyer-overseas", "buyer-individual"} {
		w.accounts[k] = &demoAccount{Key: k, Party: market.Party{ID: market.PartyID(uuid.New())}}
	}
	res := market.Audit(demoTrades(w, w.accounts["seller-a"], uuid.New()), market.DefaultRuleSet(), nil)
	if len(res.PriceChanges) != 1 || res.PriceChanges[0].From.String() != "760.00" || res.PriceChanges[0].To.String() != "800.00" {
		t.Fatalf("price changes %+v, want one from 760.00 to 800.00", res.PriceChanges)
	}
	var kinds []string
	for _, f := range res.Flags {
		kinds = append(kinds, f.Kind)
		if !slices.Equal(f.TradeIDs, []string{"demo-trade-7"}) || f.ReferencePrice.String() != "800.00" || f.OverchargeTotal.String() != "240.00" {
			t.Errorf("flag %s: trades %v, reference %s, overcharge %s; want demo-trade-7 against 800.00, 240.00", f.Kind, f.TradeIDs, f.ReferencePrice, f.OverchargeTotal)
		}
	}
	if !slices.Equal(kinds, []string{market.KindHabitPattern, market.KindPriceDifference}) {
		t.Errorf("flag kinds %v, want the habit pattern and the price difference", kinds)
	}
}
