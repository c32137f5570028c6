package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/shopspring/decimal"
	"github.com/shujiao/shujiao/internal/delivery"
	"github.com/shujiao/shujiao/internal/httpapi"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/internal/trace"
	"github.com/shujiao/shujiao/market"
)

// autoSettleEvery is how often serve settles the orders whose settlement
// date has come.
const autoSettleEvery = time.Minute

// ordersApp holds what price plans, quotes, orders and deliveries need:
// the server role's pool, the blob store, the platform key that signs
// deliveries, the fee and settlement settings, and the auto-settlement
// sweeper running until close.
type ordersApp struct {
	svc      *httpapi.OrderServices
	store    *postgres.OrderStore // queues each placed order's seal (wire_river.go)
	orders   *market.Orders
	delivery *delivery.Service
	trace    *trace.Service // marks delivered copies, traces leaks
	stop     context.CancelFunc
	wg       sync.WaitGroup
}

// newOrdersApp builds the order services over the ledger's pool (the
// server role) and the listings' blob store, with the fee rate from
// SHUJIAO_FEE_RATE (a fraction, default 0.02) and the auto-settlement
// delay after delivery from SHUJIAO_AUTO_SETTLE_DAYS (default 7), the
// delivery deadline after payment from SHUJIAO_DELIVER_WITHIN_DAYS
// (default 14), deliveries fingerprinted unless SHUJIAO_FINGERPRINT=off,
// and starts the sweeper.
func newOrdersApp(ctx context.Context, a *app) (*ordersApp, error) {
	cfg, err := orderConfigFromEnv()
	if err != nil {
		return nil, err
	}
	o := &ordersApp{store: postgres.NewOrderStore(a.pool, certificateVerifier(a.key))}
	o.orders = market.NewOrders(o.store, cfg, nil)
	o.trace = newTraceService(a.ledger.pool, a.listings.blobs)
	o.delivery = delivery.New(postgres.NewDeliveryStore(a.pool), a.listings.blobs, a.key, 0, nil)
	if os.Getenv("SHUJIAO_FINGERPRINT") != "off" {
		// every delivered copy is marked for its order; with
		// SHUJIAO_FINGERPRINT=off a release is sealed once for all its
		// buyers (internal/delivery/shared.go)
		o.delivery.WithCopies(o.trace)
	}
	o.svc = &httpapi.OrderServices{Key: a.key, Orders: o.orders, Delivery: o.delivery,
		ExportFilings: market.NewExportFilings(postgres.NewExportFilingStore(a.pool), nil)}
	rctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	o.stop = cancel
	o.wg.Go(func() { sweepOrders(rctx, o.orders, a.log) })
	return o, nil
}

var (
	_ market.OrderStore = (*postgres.OrderStore)(nil)
	_ delivery.Store    = (*postgres.DeliveryStore)(nil)
)

// orderConfigFromEnv reads SHUJIAO_FEE_RATE, SHUJIAO_AUTO_SETTLE_DAYS and
// SHUJIAO_DELIVER_WITHIN_DAYS.
func orderConfigFromEnv() (market.OrderConfig, error) {
	cfg := market.DefaultOrderConfig()
	if v := strings.TrimSpace(os.Getenv("SHUJIAO_FEE_RATE")); v != "" {
		rate, err := decimal.NewFromString(v)
		if err == nil {
			err = market.ValidFeeRate(rate)
		}
		if err != nil {
			return cfg, fmt.Errorf("SHUJIAO_FEE_RATE %q: want a fraction in [0, 1) such as 0.02", v)
		}
		cfg.FeeRate = rate
	}
	if v := strings.TrimSpace(os.Getenv("SHUJIAO_AUTO_SETTLE_DAYS")); v != "" {
		days, err := strconv.Atoi(v)
		if err != nil || days < 0 {
			return cfg, fmt.Errorf("SHUJIAO_AUTO_SETTLE_DAYS %q: want a whole number of days ≥ 0", v)
		}
		cfg.SettleAfter = time.Duration(days) * 24 * time.Hour
	}
	if v := strings.TrimSpace(os.Getenv("SHUJIAO_DELIVER_WITHIN_DAYS")); v != "" {
		days, err := strconv.Atoi(v)
		if err != nil || days < 1 {
			return cfg, fmt.Errorf("SHUJIAO_DELIVER_WITHIN_DAYS %q: want a whole number of days ≥ 1", v)
		}
		cfg.DeliverWithin = time.Duration(days) * 24 * time.Hour
	}
	return cfg, cfg.Validate()
}

// sweepOrders settles due orders and refunds undelivered ones every
// autoSettleEvery until ctx ends.
func sweepOrders(ctx context.Context, orders *market.Orders, log *slog.Logger) {
	t := time.NewTicker(autoSettleEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		settled, refunded, err := orders.Sweep(ctx, 0)
		if err != nil && ctx.Err() == nil {
			log.Error("orders: auto-settlement", "error", err.Error(), "settled", settled, "refunded", refunded)
		} else if settled+refunded > 0 {
			log.Info("orders: swept", "settled", settled, "refunded", refunded)
		}
	}
}

// close stops the sweeper.
func (o *ordersApp) close() {
	o.stop()
	o.wg.Wait()
}
