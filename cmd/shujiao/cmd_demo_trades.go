package main

import (
	"context"
	"fmt"
	"time"

	"github.com/shopspring/decimal"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/market"
)

// demoTrade is one seeded purchase: who buys which listing (by title),
// how many licences, and where the order ends.
type demoTrade struct {
	buyer, title string
	volume       int64
	exportRef    string
	end          market.OrderAction // "" leaves the order paid, in escrow
	// onward: the (mainland) buyer declares it passes the data abroad.
	onward bool
}

var demoPurchases = []demoTrade{
	{"buyer-a", "陕西省逐日气象观测数据", 2, "", market.OrderActionAccept, false},
	{"buyer-individual", "陕西省逐日气象观测数据", 1, "", market.OrderActionAccept, false},
	{"buyer-a", "天津地铁客流 OD 数据 API", 1, "", market.OrderActionAccept, false},
	{"buyer-a", "西安市民出行与健康画像 2026（去标识化）", 1, "", "", false},
	{"buyer-overseas", "陕西省逐日气象观测数据", 1, "", "", false}, // Shaanxi Art. 72: an exempt export
	{"buyer-individual", "天津地铁客流 OD 数据 API", 1, "", market.OrderActionCancel, false},
	// Shaanxi Art. 72, one export of each class besides the exempt one
	// above (general, non-personal data to an overseas buyer) and the
	// domestic trades (not an export): personal information of 120,000
	// individuals, 3,000 of them sensitive, under seller A's standard
	// contract filing; important data that a mainland buyer passes on
	// abroad, under seller B's security assessment (cmd_demo_exports.go).
	{"buyer-overseas", "西安市民出行与健康画像 2026（去标识化）", 1, "", market.OrderActionAccept, false},
	{"buyer-a", demoImportantTitle, 1, "", market.OrderActionAccept, true},
}

// seedTrades gives every listed demo product a price plan (its list price
// per licence, a bulk tier and a new-customer promotion) and seeds
// completed trades: quotes priced by the engine, orders paid into escrow,
// settled on acceptance, one left in escrow awaiting delivery, one
// cancelled and refunded, and one order of each export class of Shaanxi
// Art. 72 (not an export, exempt, standard contract, security assessment)
// against the sellers' registered filings. It does nothing when the demo already has orders.
func seedTrades(ctx context.Context, w *demoWorld) error {
	if has, err := w.orders.orders.List(ctx, w.accounts["regulator"].Actor, market.OrderFilter{Limit: 1}); err != nil || len(has) > 0 {
		return err
	}
	listings := map[string]*market.ListingRecord{}
	for _, seller := range []string{"seller-a", "seller-b"} {
		acc := w.accounts[seller]
		ls, err := market.NewListings(postgres.NewListingStore(w.ledger.pool, w.key.Public())).List(ctx, acc.Actor, market.ListingFilter{State: market.StateListed})
		if err != nil {
			return err
		}
		for _, l := range ls {
			if err := seedPlan(ctx, w, acc, l); err != nil {
				return err
			}
			listings[l.Declaration.Title] = l
		}
	}
	if err := seedExportFilings(ctx, w, listings); err != nil { // cmd_demo_exports.go
		return err
	}
	for i, tr := range demoPurchases {
		l, ok := listings[tr.title]
		if !ok {
			return fmt.Errorf("trade %d: no listed product %q", i, tr.title)
		}
		if err := seedTrade(ctx, w, i, tr, l); err != nil {
			return fmt.Errorf("trade %d (%s buys %s): %w", i, tr.buyer, tr.title, err)
		}
	}
	return nil
}

// seedPlan publishes the demo plan of listing l.
func seedPlan(ctx context.Context, w *demoWorld, seller *demoAccount, l *market.ListingRecord) error {
	base := market.Yuan(1000)
	if l.Price != nil {
		base = *l.Price
	}
	five := decimal.NewFromInt(5)
	plan := &market.PricePlan{Unit: market.UnitLicence, BasePrice: base,
		Tiers: []market.Tier{{ID: "bulk-5", Criteria: market.Criteria{MinVolume: &five},
			UnitPrice: market.NewMoney(base.Decimal().Mul(decimal.RequireFromString("0.9")).Round(2)),
			Practice:  "volume discount customary for bulk data licences (5 or more)"}},
		Promotions: []market.Promotion{{ID: "welcome-2026", Kind: market.PromotionNewCustomer, Discount: decimal.RequireFromString("0.1"),
			Start: w.now.AddDate(0, 0, -7), End: w.now.AddDate(0, 0, 53)}}}
	_, err := market.NewQuotes(postgres.NewStores(w.ledger.pool, w.key.Public()).Quotes).PublishPlan(ctx, seller.Actor, l.ID, plan, w.now)
	return err
}

// seedTrade quotes, orders and moves one demo trade.
func seedTrade(ctx context.Context, w *demoWorld, i int, tr demoTrade, l *market.ListingRecord) error {
	buyer := w.accounts[tr.buyer]
	at := w.now.Add(time.Duration(i) * time.Minute)
	conds := market.Conditions{Security: market.Security{DeliveryMode: "encrypted_file", CertificationLevel: "L3"},
		Cost: market.Cost{Volume: decimal.NewFromInt(tr.volume), Channel: "standard"}, Stage: market.StageDirect, DurationMonths: 12}
	q, err := market.NewQuotes(postgres.NewStores(w.ledger.pool, w.key.Public()).Quotes).Create(ctx, buyer.Actor, l.ID, conds, "web", at)
	if err != nil {
		return err
	}
	req := market.OrderRequest{QuoteID: q.ID, UsagePurpose: "物流线路规划内部分析 internal route planning analysis",
		Licence: market.LicenceTerms{Accepted: true, Terms: "Shujiao standard data licence v1", Scope: []string{"internal_analysis"}}}
	if tr.exportRef != "" {
		req.ExportAssessmentRef = &tr.exportRef
	}
	req.OnwardTransferAbroad = tr.onward
	// The demo's trades are dated in the past: the order service runs on
	// their clock. Their deliveries are sealed by River, as serve's are.
	orders := market.NewOrders(postgres.NewOrderStore(w.ledger.pool, w.key.Public()).WithDeliveryQueue(w.jobs.QueueSealTx),
		w.orders.orders.Config(), func() time.Time { return at })
	o, _, err := orders.Place(ctx, buyer.Actor, fmt.Sprintf("demo-trade-%d", i), req)
	if err != nil || tr.end == "" {
		return err
	}
	later := market.NewOrders(postgres.NewOrderStore(w.ledger.pool, w.key.Public()), w.orders.orders.Config(), func() time.Time { return at.Add(time.Minute) })
	_, err = later.Move(ctx, buyer.Actor, o.ID, tr.end, "")
	return err
}
