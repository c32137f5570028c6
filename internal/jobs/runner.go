package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/market"
)

// Processor does one job's work. It reports progress through progress
// (stage name, 0…1) and returns the job's outcome; an error fails the job
// for good (bad policy, unreadable dataset), except ctx's own error, which
// means the worker is stopping and the job goes back to the queue.
type Processor interface {
	Process(ctx context.Context, job *market.Job, ds *market.Dataset, progress func(stage string, frac float64)) (market.JobOutcome, error)
	// Discard undoes what Process stored outside the database (a release
	// file) when its outcome could not be recorded.
	Discard(out market.JobOutcome)
}

// Config tunes a Runner; zero fields take the defaults.
type Config struct {
	// Workers is the number of jobs run at once (default 2).
	Workers int
	// Lease is how long a job stays leased without a heartbeat (default
	// 30 s); a crashed worker's job is recovered this long after the crash.
	Lease time.Duration
	// Poll is how often idle workers look for queued jobs that another
	// server queued (default 2 s); Notify wakes them at once.
	Poll   time.Duration
	Logger *slog.Logger
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Runner is the worker pool. Build it with New and run it with Run; it is
// safe for concurrent use.
type Runner struct {
	store  Store
	proc   Processor
	cfg    Config
	worker uuid.UUID
	wake   chan struct{}
}

// New returns a runner of store's jobs through proc.
func New(store Store, proc Processor, cfg Config) *Runner {
	if cfg.Workers < 1 {
		cfg.Workers = 2
	}
	if cfg.Lease <= 0 {
		cfg.Lease = 30 * time.Second
	}
	if cfg.Poll <= 0 {
		cfg.Poll = 2 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Runner{store: store, proc: proc, cfg: cfg, worker: market.NewID(), wake: make(chan struct{}, 1)}
}

// WorkerID is this runner's lease holder id.
func (r *Runner) WorkerID() uuid.UUID { return r.worker }

// Notify wakes an idle worker: a job was just queued. It never blocks.
func (r *Runner) Notify() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// Run marks its worker alive (postgres.JobStore.HoldWorker), recovers the
// jobs of workers that are gone, then runs the workers and the
// reaper until ctx ends; it then hands the jobs still in progress back to
// the queue and returns nil. It returns an error only when the first
// recovery fails (the database is unreachable).
func (r *Runner) Run(ctx context.Context) error {
	// Mark this worker alive first, so that recovery (ours, or another
	// server's) takes back only the jobs of workers that are gone.
	if release, err := r.store.HoldWorker(ctx, r.worker); err != nil {
		r.cfg.Logger.Warn("jobs: cannot mark the worker alive; its jobs are recovered by lease only", "err", err)
	} else {
		defer release()
	}
	if err := r.recover(ctx); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	var wg sync.WaitGroup
	for range r.cfg.Workers {
		wg.Go(func() { r.work(ctx) })
	}
	wg.Go(func() { r.reap(ctx) })
	wg.Wait()
	bg, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	n, err := r.store.ReleaseJobs(bg, r.worker, r.cfg.Now())
	if err != nil {
		r.cfg.Logger.Error("jobs: hand back running jobs", "err", err)
	} else if n > 0 {
		r.cfg.Logger.Info("jobs: handed running jobs back to the queue", "jobs", n)
	}
	return nil
}

func (r *Runner) recover(ctx context.Context) error {
	requeued, failed, err := r.store.RecoverJobs(ctx, r.cfg.Now())
	if err != nil {
		return fmt.Errorf("jobs: %w", err)
	}
	if requeued+failed > 0 {
		r.cfg.Logger.Warn("jobs: recovered jobs of a stopped worker", "requeued", requeued, "failed", failed)
		r.Notify()
	}
	return nil
}

// reap recovers expired leases every half lease.
func (r *Runner) reap(ctx context.Context) {
	t := time.NewTicker(r.cfg.Lease / 2)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := r.recover(ctx); err != nil && ctx.Err() == nil {
				r.cfg.Logger.Error("jobs: reaper", "err", err)
			}
		}
	}
}

// work claims and runs jobs until ctx ends.
func (r *Runner) work(ctx context.Context) {
	poll := time.NewTicker(r.cfg.Poll)
	defer poll.Stop()
	for ctx.Err() == nil {
		job, err := r.store.ClaimJob(ctx, r.worker, r.cfg.Now(), r.cfg.Lease)
		if err != nil && ctx.Err() == nil {
			r.cfg.Logger.Error("jobs: claim", "err", err)
		}
		if job != nil {
			r.run(ctx, job)
			continue
		}
		select {
		case <-ctx.Done():
		case <-r.wake:
		case <-poll.C:
		}
	}
}

// errStopping marks a job interrupted because the worker is stopping.
var errStopping = errors.New("worker stopping")
