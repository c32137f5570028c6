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
// seller-a's weather product — one buyer charged 30 % above the others in
// the same transaction conditions — with the Art. 37 detector under the
// current rule set, and raises what it finds. Idempotent: nothing is added
// once a case exists.
func seedCases(ctx context.Context, w *demoWorld) error {
	reg, seller := w.accounts["regulator"], w.accounts["seller-a"]
	store := postgres.NewCaseStore(w.pool)
	have, err := store.ListCases(ctx, reg.Actor, market.CaseFilter{Limit: 1})
	if err != nil || len(have) > 0 {
		return err
	}
	flags, err := postgres.ListFlags(ctx, w.pool, market.FlagFilter{Rule: market.RuleShaanxi37,
		PartyID: uuid.UUID(seller.Party.ID), Status: market.FlagOpen})
	if err != nil {
		return err
	}
	if len(flags) == 0 {
		if flags, err = raiseDemoPriceFlags(ctx, w, seller); err != nil {
			return fmt.Errorf("demo Art. 37 flag: %w", err)
		}
	}
	_, err = store.OpenCase(ctx, reg.Actor, market.OpenCaseRequest{
		FlagIDs: []uuid.UUID{flags[0].ID},
		Title:   "西安数据科技有限公司对交易条件相同的买方差别定价（陕西省大数据条例第三十七条）",
		Note:    "演示案件：检测器发现同一交易条件下个人买方价格高出 30%，待调查后决定责令改正或处罚。",
	}, w.now)
	return err
}

// raiseDemoPriceFlags audits the demo trades and raises the flags found.
func raiseDemoPriceFlags(ctx context.Context, w *demoWorld, seller *demoAccount) ([]market.Flag, error) {
	listings, err := postgres.NewListingStore(w.pool).Listings(ctx, seller.Actor, market.ListingFilter{State: market.StateListed, Limit: 100})
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
	if len(res.Flags) == 0 {
		return nil, fmt.Errorf("the Art. 37 detector found nothing in the demo trades under rule set %d", rs.Version)
	}
	var out []market.Flag
	err = postgres.InTx(ctx, w.pool, func(tx pgx.Tx) error {
		for _, pf := range res.Flags {
			ev, err := json.Marshal(pf)
			if err != nil {
				return err
			}
			f := &market.Flag{Rule: pf.Rule, Article: pf.Article, Kind: pf.Kind, PartyID: uuid.UUID(seller.Party.ID),
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

// demoTrades are four licences of one product in the same transaction
// conditions: three buyers at the 800.00 list price, the individual buyer
// at 1,040.00.
func demoTrades(w *demoWorld, seller *demoAccount, listing uuid.UUID) []market.Trade {
	cond := market.Conditions{Security: market.Security{DeliveryMode: "download"}, Cost: market.Cost{Volume: decimal.NewFromInt(1)},
		Credit: market.CreditA, Stage: market.StageDirect, DurationMonths: 12}
	var trades []market.Trade
	for i, t := range []struct{ buyer, price string }{
		{"buyer-a", "800.00"}, {"buyer-overseas", "800.00"}, {"buyer-a", "800.00"}, {"buyer-individual", "1040.00"},
	} {
		b := w.accounts[t.buyer]
		price := market.MustMoney(t.price)
		trades = append(trades, market.Trade{ID: fmt.Sprintf("demo-trade-%d", i+1), Time: w.now.Add(time.Duration(i-10) * 24 * time.Hour),
			SellerID: seller.Party.ID.String(), ListingID: listing.String(), BuyerID: b.Party.ID.String(), BuyerKind: string(b.Party.Kind),
			UnitPrice: price, Quantity: decimal.NewFromInt(1), Amount: price, Conditions: cond})
	}
	return trades
}
