package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/internal/delivery"
	"github.com/shujiao/shujiao/internal/httpapi"
	"github.com/shujiao/shujiao/internal/jobs"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/market"
)

// jobsStopWithin bounds a stopping server's wait for its River client:
// running jobs get jobs.Config.StopGrace to finish, then are cancelled
// and handed back to the queue.
const jobsStopWithin = 30 * time.Second

var (
	_ jobs.Records     = (*postgres.JobStore)(nil)
	_ jobs.TxRecords   = (*postgres.JobStore)(nil)
	_ jobs.Sealer      = (*delivery.Service)(nil)
	_ jobs.Refunder    = (*market.Orders)(nil)
	_ delivery.Queue   = (*jobs.Client)(nil)
	_ httpapi.JobQueue = (*jobs.Client)(nil)
	_ delivery.Store   = (*postgres.DeliveryStore)(nil)
	_ postgres.DB      = (pgx.Tx)(nil)
	_ jobs.MarkSealing = markSealing
)

// startJobs builds the River client over the server role's pool, with the
// de-identification worker (listings) and the sealing worker (deliveries,
// refunding what cannot be sealed), makes the job routes, the order
// placement and the delivery route queue through it, and starts it. Every
// serve process on one database runs one; River hands each job to one.
func startJobs(ctx context.Context, a *app) (*jobs.Client, error) {
	seal, err := sealWorkers(os.Getenv("SHUJIAO_SEAL_WORKERS"), runtime.GOMAXPROCS(0))
	if err != nil {
		return nil, err
	}
	yield, err := sealYield(os.Getenv("SHUJIAO_SEAL_YIELD"))
	if err != nil {
		return nil, err
	}
	// the HTTP server counts its requests in (cmd_serve.go), seals give way
	a.foreground = jobs.NewForeground(jobs.ForegroundLong)
	c, err := jobs.New(a.pool, jobs.Deps{
		Records:     postgres.NewJobStore(a.pool),
		RecordsTx:   func(tx pgx.Tx) jobs.TxRecords { return postgres.NewJobStore(tx) },
		Processor:   a.listings.deidentifier,
		Sealer:      a.orders.delivery,
		Refunder:    a.orders.orders,
		MarkSealing: markSealing,
	}, jobs.Config{Logger: a.log, SealWorkers: seal, Foreground: a.foreground, SealYield: yield})
	if err != nil {
		return nil, err
	}
	a.listings.queue = c
	// an order is inserted in the sealing state: only the job is queued
	a.orders.store.WithDeliveryQueue(c.InsertSealTx)
	a.orders.delivery.WithQueue(c)
	if err := c.Start(ctx); err != nil {
		return nil, err
	}
	return c, nil
}

// markSealing says on an order, inside the transaction that queues its
// seal, that its delivery is being sealed.
func markSealing(ctx context.Context, tx pgx.Tx, order uuid.UUID) error {
	return postgres.MarkDelivery(ctx, tx, order, market.DeliverySealing, "")
}

// stopJobs stops the River client gracefully (SIGTERM ends serve here).
func stopJobs(c *jobs.Client, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), jobsStopWithin)
	defer cancel()
	if err := c.Stop(ctx); err != nil {
		log.Error("jobs: stop", "error", fmt.Sprint(err))
	}
}

// sealWorkers is how many deliveries one serve seals at once:
// SHUJIAO_SEAL_WORKERS when set, else one per core. Sealing is background
// work and placing an order is a buyer waiting: on 2 cores, four sealers
// made the flat-out rate fall and the p99 of orders paced at 70 % of it
// double against two (bench/load.md), while one sealer left the paced
// phase's seals queued. The buyer's delivery waits in a burst (GET
// …/delivery answers 202 with Retry-After until it is sealed); more
// servers seal more at once.
func sealWorkers(env string, cores int) (int, error) {
	if env == "" {
		return max(1, cores), nil
	}
	n, err := strconv.Atoi(env)
	if err != nil || n < 1 || n > 256 {
		return 0, fmt.Errorf("serve: SHUJIAO_SEAL_WORKERS=%q: want a whole number of workers from 1 to 256", env)
	}
	return n, nil
}

// sealYield is how long a seal waits at most for a moment with no request
// in flight: SHUJIAO_SEAL_YIELD when set (a Go duration up to a minute;
// 0 never waits), else jobs.DefaultSealYield.
func sealYield(env string) (time.Duration, error) {
	if env == "" {
		return jobs.DefaultSealYield, nil
	}
	d, err := time.ParseDuration(env)
	if err != nil || d < 0 || d > time.Minute {
		return 0, fmt.Errorf("serve: SHUJIAO_SEAL_YIELD=%q: want a duration from 0s to 1m (e.g. 250ms; 0 never waits)", env)
	}
	if d == 0 {
		return -1, nil // jobs.Config: negative never waits
	}
	return d, nil
}
