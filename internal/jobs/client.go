package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/shujiao/shujiao/market"
)

// Config tunes a Client; zero fields take the defaults.
type Config struct {
	// Workers is the number of de-identification jobs run at once by this
	// server (default 2).
	Workers int
	// SealWorkers is the number of deliveries sealed at once (default one
	// per core: more take the cores from the requests, bench/load.md).
	SealWorkers int
	// SealCooldown is the least time between two fetches of seal jobs
	// (default 10 ms, at most Poll). River fetches no more jobs than it
	// has free workers each time, so a backlog of seals drains at no more
	// than SealWorkers per SealCooldown: at River's default of 100 ms and
	// four workers that was 40 deliveries a second however idle the
	// cores (bench/load.md).
	SealCooldown time.Duration
	// Foreground counts the server's requests in flight; a seal waits for
	// a moment none is (at most SealYield) before it starts, so that
	// background sealing takes the cores when the requests leave them
	// (nil: seals never wait).
	Foreground *Foreground
	// SealYield is the longest a seal waits for the requests to leave the
	// cores (default DefaultSealYield; negative: never waits).
	SealYield time.Duration
	// Poll is how often River looks for jobs when no notification came
	// (default 1 s).
	Poll time.Duration
	// RescueAfter is how long a job may stay running before River takes it
	// for the job of a killed server and runs it again (default 1 h; it
	// must exceed the longest de-identification).
	RescueAfter time.Duration
	// SealAttempts is how many times a seal is tried before the buyer is
	// refunded (default 5).
	SealAttempts int
	// RetryPolicy spaces the attempts (default River's: attempt⁴ seconds,
	// with jitter).
	RetryPolicy river.ClientRetryPolicy
	// StopGrace is how long Stop lets running jobs finish before it
	// cancels them (default 10 s).
	StopGrace time.Duration
	Logger    *slog.Logger
	// Now is the clock (default time.Now).
	Now func() time.Time
}

func (c *Config) defaults() {
	if c.Workers < 1 {
		c.Workers = 2
	}
	if c.SealWorkers < 1 {
		c.SealWorkers = runtime.GOMAXPROCS(0)
	}
	if c.Poll <= 0 {
		c.Poll = time.Second
	}
	if c.SealCooldown <= 0 {
		c.SealCooldown = 10 * time.Millisecond
	}
	c.SealCooldown = max(river.FetchCooldownMin, min(c.SealCooldown, c.Poll))
	if c.SealYield == 0 {
		c.SealYield = DefaultSealYield
	}
	if c.RescueAfter <= 0 {
		c.RescueAfter = time.Hour
	}
	if c.SealAttempts < 1 {
		c.SealAttempts = 5
	}
	if c.StopGrace <= 0 {
		c.StopGrace = 10 * time.Second
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
}

// DefaultSealYield is how long a seal waits at most for a moment with no
// request in flight (Config.SealYield): under a steady stream of orders
// each sealer still seals four deliveries a second, and the backlog drains
// at full speed once the requests pause.
const DefaultSealYield = 250 * time.Millisecond

// Deps are what the workers call.
type Deps struct {
	// Records and RecordsTx are the jobs table (postgres.JobStore) over
	// the pool and inside the transaction that queues a job.
	Records   Records
	RecordsTx func(pgx.Tx) TxRecords
	// Processor de-identifies (Deidentifier).
	Processor Processor
	// Sealer seals deliveries, Refunder refunds the buyer of one that
	// cannot be sealed, MarkSealing says on the order that it is sealed.
	Sealer      Sealer
	Refunder    Refunder
	MarkSealing MarkSealing
}

// Client queues and runs background work on River. Build it with New,
// run it with Start and end it with Stop; it is safe for concurrent use.
// A client that is never started only queues (another server runs).
type Client struct {
	river *river.Client[pgx.Tx]
	pool  *pgxpool.Pool
	deps  Deps
	cfg   Config
}

// New returns a River client over pool (the server role's) with the
// de-identification and sealing workers. It returns an error when a
// dependency is missing or River refuses the configuration.
func New(pool *pgxpool.Pool, deps Deps, cfg Config) (*Client, error) {
	cfg.defaults()
	if deps.Records == nil || deps.RecordsTx == nil || deps.Processor == nil || deps.Sealer == nil || deps.Refunder == nil || deps.MarkSealing == nil {
		return nil, errors.New("jobs: every dependency is needed (records, processor, sealer, refunder, mark-sealing)")
	}
	c := &Client{pool: pool, deps: deps, cfg: cfg}
	workers := river.NewWorkers()
	if err := river.AddWorkerSafely(workers, &deidentifyWorker{c: c}); err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	if err := river.AddWorkerSafely(workers, &sealWorker{c: c}); err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	rc, err := river.NewClient(riverpgxv5.New(pool), &river.Config{
		Queues: map[string]river.QueueConfig{
			QueueDeidentify: {MaxWorkers: cfg.Workers},
			QueueDelivery:   {MaxWorkers: cfg.SealWorkers, FetchCooldown: cfg.SealCooldown},
		},
		Workers:              workers,
		Logger:               cfg.Logger,
		FetchPollInterval:    cfg.Poll,
		FetchCooldown:        min(cfg.Poll, river.FetchCooldownDefault),
		RescueStuckJobsAfter: cfg.RescueAfter,
		RetryPolicy:          cfg.RetryPolicy,
		// A REINDEX needs the tables' owner; the server role is not
		// (migrations/00151): reindexing River's indexes is the owner's.
		ReindexerIndexNames: []string{},
	})
	if err != nil {
		return nil, fmt.Errorf("jobs: river client: %w", err)
	}
	c.river = rc
	return c, nil
}

// Start runs the workers until Stop. Cancelling ctx does not stop them
// (Stop does, gracefully); it returns River's error when it cannot start.
func (c *Client) Start(ctx context.Context) error {
	if err := c.river.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("jobs: start river: %w", err)
	}
	return nil
}

// Stop stops fetching jobs, lets the running ones finish for
// Config.StopGrace, then cancels them: an interrupted job goes back to the
// queue for the next server, its attempt not counted. It waits at most
// until ctx ends, and returns ctx's error then.
func (c *Client) Stop(ctx context.Context) error {
	soft, cancel := context.WithTimeout(ctx, c.cfg.StopGrace)
	defer cancel()
	if err := c.river.Stop(soft); err == nil {
		return nil
	}
	c.cfg.Logger.Info("jobs: jobs still running after the grace period; cancelling them", "grace", c.cfg.StopGrace)
	if err := c.river.StopAndCancel(ctx); err != nil {
		return fmt.Errorf("jobs: stop river: %w", err)
	}
	return nil
}

// QueueJob stores de-identification job j as queued and inserts the River
// job that runs it, in one transaction. It returns the errors of
// TxRecords.CreateJob or the wrapped database error.
func (c *Client) QueueJob(ctx context.Context, j *market.Job) error {
	return pgx.BeginFunc(ctx, c.pool, func(tx pgx.Tx) error {
		recs := c.deps.RecordsTx(tx)
		if err := recs.CreateJob(ctx, j); err != nil {
			return err
		}
		res, err := c.river.InsertTx(ctx, tx, DeidentifyArgs{JobID: j.ID}, &river.InsertOpts{MaxAttempts: j.MaxAttempts})
		if err != nil {
			return fmt.Errorf("queue job %s: %w", j.ID, err)
		}
		return recs.SetRiverJob(ctx, j.ID, res.Job.ID)
	})
}

// CancelJob cancels de-identification job id: a queued job never runs, a
// running one is stopped (its worker records it failed, cancelled). It
// returns an error wrapping market.ErrNotFound when River runs no such job.
func (c *Client) CancelJob(ctx context.Context, id uuid.UUID) error {
	rid, err := c.deps.Records.RiverJob(ctx, id)
	if err != nil {
		return err
	}
	if rid == 0 {
		return market.Errorf(market.ErrNotFound, "job_not_found", "job %s is not run by the job queue", id)
	}
	if _, err := c.river.JobCancel(ctx, rid); err != nil {
		return fmt.Errorf("cancel job %s: %w", id, err)
	}
	return nil
}

// QueueSeal queues the sealing of order id's delivery (nothing when one is
// already queued or running) and says so on the order, in one transaction.
func (c *Client) QueueSeal(ctx context.Context, order uuid.UUID) error {
	return pgx.BeginFunc(ctx, c.pool, func(tx pgx.Tx) error { return c.QueueSealTx(ctx, tx, order) })
}

// InsertSealTx queues the seal of an order that tx inserted already in
// the sealing state (order placement): only River's job is inserted, the
// order row is not written again. The order is sealed only if tx commits.
func (c *Client) InsertSealTx(ctx context.Context, tx pgx.Tx, order uuid.UUID) error {
	if _, err := c.river.InsertTx(ctx, tx, SealArgs{OrderID: order}, &river.InsertOpts{MaxAttempts: c.cfg.SealAttempts}); err != nil {
		return fmt.Errorf("queue the seal of order %s: %w", order, err)
	}
	return nil
}

// QueueSealTx is QueueSeal inside tx: the order placed in tx is sealed
// only if tx commits.
func (c *Client) QueueSealTx(ctx context.Context, tx pgx.Tx, order uuid.UUID) error {
	if err := c.deps.MarkSealing(ctx, tx, order); err != nil {
		return err
	}
	return c.InsertSealTx(ctx, tx, order)
}
