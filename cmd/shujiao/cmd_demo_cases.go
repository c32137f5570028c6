package main

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/market"
)

// seedCases gives the regulator an open case on a Shaanxi Art. 37 flag of
// seller-a. When no such flag is open it audits a few demo trades of
// seller-a's weather product (demoTrades: a price change for everyone,
// not flagged, and a repeat buyer charged 30 % more under a self-recorded
// tier, flagged) with the Art. 37 detector under the current rule set,
// and raises what it finds. Idempotent: nothing is added
// once a case exists.
func seedCases(ctx context.Context, w *demoWorld) error {
	reg, seller := w.accounts["regulator"], w.accounts["seller-a"]
	store := market.NewCases(postgres.NewCaseStore(w.pool))
	have, err := store.List(ctx, reg.Actor, market.CaseFilter{Limit: 1})
	if err != nil || len(have) > 0 {
		return err
	}
	flags, err := postgres.ListFlags(ctx, w.pool, market.FlagFilter{Rule: market.RuleShaanxi37,
		PartyID: seller.Party.ID, Status: market.FlagOpen})
	if err != nil {
		return err
	}
	if len(flags) == 0 {
		if flags, err = raiseDemoPriceFlags(ctx, w, seller); err != nil {
			return fmt.Errorf("demo Art. 37 flag: %w", err)
		}
	}
	_, err = store.Open(ctx, reg.Actor, market.OpenCaseRequest{
		FlagIDs: []uuid.UUID{flags[0].ID},
		Title:   "西安数据科技有限公司对交易条件相同的买方差别定价（陕西省大数据条例第三十七条）",
		Note:    "演示案件：检测器推断出一次面向全体买方的调价（760.00 → 800.00，不构成差别待遇），但调价后个人买方（老客户）在同一交易条件下按卖方自设的“loyal-plus”档位多付 30%，待调查后决定责令改正或处罚。",
	}, w.now)
	return err
}

// raiseDemoPriceFlags audits the demo trades and raises the flags found.
func raiseDemoPriceFlags(ctx context.Context, w *demoWorld, seller *demoAccount) ([]market.Flag, error) {
	listings, err := market.NewListings(postgres.NewListingStore(w.pool, w.key.Public())).List(ctx, seller.Actor, market.ListingFilter{State: market.StateListed, Limit: 100})
	if err != nil {
		return nil, err
	}
	listingID := uuid.Nil
	for _, l := range listings {
		if l.Declaration.Category == "weather" {
			listingID = l.ID
		}
	}
	rs, err := postgres.NewRuleSetStore(w.pool).CurrentRuleSet(ctx)
	if err != nil {
		return nil, err
	}
	res := market.Audit(demoTrades(w, seller, listingID), rs, nil)
	if len(res.Flags) == 0 || len(res.PriceChanges) != 1 {
		return nil, fmt.Errorf("the Art. 37 detector found %d flag(s) and %d price change(s) in the demo trades under rule set %d, want flags and one change",
			len(res.Flags), len(res.PriceChanges), rs.Version)
	}
	var out []market.Flag
	err = postgres.InTx(ctx, w.pool, func(tx pgx.Tx) error {
		for _, pf := range res.Flags {
			ev, err := json.Marshal(pf)
			if err != nil {
				return err
			}
			f := &market.Flag{Rule: pf.Rule, Article: pf.Article, Kind: pf.Kind, PartyID: seller.Party.ID,
				Summary: pf.Reason, Evidence: ev, CreatedAt: w.now}
			if listingID != uuid.Nil {
				f.ListingID = &listingID
			}
			if err := postgres.RaiseFlag(ctx, tx, f); err != nil {
				return err
			}
			out = append(out, *f)
		}
		return nil
	})
	return out, err
}

// demoTrades are licences of one product in the same transaction
// conditions, over six weeks: until four weeks ago every buyer paid the
// list price of 760.00, then the seller raised it to 800.00 for everyone —
// a price change, which the detector infers and does not flag (Shaanxi
// Art. 37) — and since then the individual buyer, a repeat customer, has
// paid 1,040.00 under a "loyal-plus" tier the seller recorded itself: a
// loyalty surcharge dressed as a tier, flagged.
func demoTrades(w *demoWorld, seller *demoAccount, listing uuid.UUID) []market.Trade {
	cond := market.Conditions{Security: market.Security{DeliveryMode: "download"}, Cost: market.Cost{Volume: decimal.NewFromInt(1)},
		Credit: market.CreditA, Stage: market.StageDirect, DurationMonths: 12}
	met := true
	var trades []market.Trade
	for i, t := range []struct {
		buyer, price string
		day          int
		tier         string
	}{
		{"buyer-a", "760.00", -42, ""}, {"buyer-overseas", "760.00", -39, ""}, {"buyer-individual", "760.00", -36, ""}, {"buyer-a", "760.00", -32, ""},
		{"buyer-overseas", "800.00", -28, ""}, {"buyer-a", "800.00", -24, ""}, {"buyer-individual", "1040.00", -20, "loyal-plus"},
		{"buyer-overseas", "800.00", -16, ""}, {"buyer-a", "800.00", -12, ""},
	} {
		b := w.accounts[t.buyer]
		price := market.MustMoney(t.price)
		tr := market.Trade{ID: fmt.Sprintf("demo-trade-%d", i+1), Time: w.now.Add(time.Duration(t.day) * 24 * time.Hour),
			SellerID: seller.Party.ID.String(), ListingID: listing.String(), BuyerID: b.Party.ID.String(), BuyerKind: string(b.Party.Kind),
			UnitPrice: price, Quantity: decimal.NewFromInt(1), Amount: price, Conditions: cond}
		if t.tier != "" {
			tr.TierID, tr.TierCriteriaMet = t.tier, &met
		}
		trades = append(trades, tr)
	}
	return trades
}
