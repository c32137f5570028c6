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
	"github.com/shujiao/shujiao/internal/httpapi"
	"github.com/shujiao/shujiao/internal/pgp"
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
	svc   *httpapi.OrderServices
	trace *trace.Service // marks delivered copies, traces leaks
	stop  context.CancelFunc
	wg    sync.WaitGroup
}

// newOrdersApp builds the order services over the ledger's pool (the
// server role) and the listings' blob store, with the fee rate from
// SHUJIAO_FEE_RATE (a fraction, default 0.02) and the auto-settlement
// delay from SHUJIAO_AUTO_SETTLE_DAYS (default 7), and starts the sweeper.
func newOrdersApp(ctx context.Context, a *app) (*ordersApp, error) {
	cfg, err := orderConfigFromEnv()
	if err != nil {
		return nil, err
	}
	key, err := pgp.LoadPlatformKey(a.dataDir)
	if err != nil {
		return nil, fmt.Errorf("orders: platform key: %w", err)
	}
	tr := newTraceService(a.ledger.pool, a.listings.blobs)
	o := &ordersApp{trace: tr, svc: &httpapi.OrderServices{DB: a.ledger.pool, Blobs: a.listings.blobs, Key: key, Config: cfg, Copies: tr}}
	rctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	o.stop = cancel
	o.wg.Go(func() { sweepSettlements(rctx, o.svc, a.log) })
	return o, nil
}

// orderConfigFromEnv reads SHUJIAO_FEE_RATE and SHUJIAO_AUTO_SETTLE_DAYS.
func orderConfigFromEnv() (postgres.OrderConfig, error) {
	cfg := postgres.DefaultOrderConfig()
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
	return cfg, nil
}

// sweepSettlements settles due orders every autoSettleEvery until ctx ends.
func sweepSettlements(ctx context.Context, svc *httpapi.OrderServices, log *slog.Logger) {
	t := time.NewTicker(autoSettleEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		n, err := postgres.AutoSettle(ctx, svc.DB, time.Now(), 0)
		if err != nil && ctx.Err() == nil {
			log.Error("orders: auto-settlement", "error", err.Error(), "settled", n)
		} else if n > 0 {
			log.Info("orders: auto-settled", "orders", n)
		}
	}
}

// close stops the sweeper.
func (o *ordersApp) close() {
	o.stop()
	o.wg.Wait()
}
