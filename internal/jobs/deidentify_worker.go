package jobs

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/shujiao/shujiao/market"
)

// Processor does one de-identification job's work. It reports progress
// through progress (stage name, 0…1) and returns the job's outcome; an
// error fails the job for good (bad policy, unreadable dataset), except
// ctx's own error, which means the server is stopping (the job goes back
// to the queue) or the job was cancelled.
type Processor interface {
	Process(ctx context.Context, job *market.Job, ds *market.Dataset, progress func(stage string, frac float64)) (market.JobOutcome, error)
	// Discard undoes what Process stored outside the database (a release
	// file) when its outcome could not be recorded.
	Discard(out market.JobOutcome)
}

// deidentifyWorker runs DeidentifyArgs jobs through the Processor.
type deidentifyWorker struct {
	river.WorkerDefaults[DeidentifyArgs]
	c *Client
}

// Timeout is Config.RescueAfter: an attempt that runs longer is stopped
// (and retried), and a job running longer than that on no live server
// (its server was killed) is rescued by River and run again.
func (w *deidentifyWorker) Timeout(*river.Job[DeidentifyArgs]) time.Duration {
	return w.c.cfg.RescueAfter
}

// Work runs one attempt of the job. An interrupted attempt (the server is
// stopping) hands the job back to the queue without counting the attempt
// (River's snooze) and discards a release stored just before; a cancelled
// job is recorded failed; any other end is recorded as the job's outcome.
func (w *deidentifyWorker) Work(ctx context.Context, rj *river.Job[DeidentifyArgs]) error {
	recs, log := w.c.deps.Records, w.c.cfg.Logger.With("job_id", rj.Args.JobID, "attempt", rj.Attempt)
	job, err := recs.StartJob(ctx, rj.Args.JobID, rj.Attempt, w.c.cfg.Now())
	if market.IsNotFound(err) {
		return river.JobCancel(err)
	}
	if err != nil {
		return err
	}
	if job.Status.Terminal() {
		return nil
	}
	log.Info("jobs: de-identification started")
	prog := &progressState{stage: "starting"}
	pctx, stopProgress := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { w.persistProgress(pctx, job, prog) })
	out, err := w.process(ctx, job, prog.set)
	stopProgress()
	wg.Wait()
	bg, done := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer done()
	if ctx.Err() != nil {
		if err == nil {
			w.c.deps.Processor.Discard(out) // a release stored just before the interruption: nothing records it
		}
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			log.Warn("jobs: de-identification ran out of time; River retries it", "timeout", w.c.cfg.RescueAfter)
			if rerr := recs.RequeueJob(bg, job.ID, w.c.cfg.Now()); rerr != nil {
				log.Error("jobs: hand the job back", "err", rerr)
			}
			return fmt.Errorf("de-identification of job %s ran longer than %s", job.ID, w.c.cfg.RescueAfter)
		}
		if errors.Is(context.Cause(ctx), river.ErrJobCancelledRemotely) {
			log.Info("jobs: de-identification cancelled")
			if ferr := recs.FinishJob(bg, job.ID, market.JobOutcome{Status: market.JobFailed, Error: "cancelled"}, w.c.cfg.Now()); ferr != nil {
				log.Error("jobs: record the cancellation", "err", ferr)
			}
			return river.JobCancel(context.Cause(ctx))
		}
		log.Info("jobs: interrupted; the job goes back to the queue", "cause", context.Cause(ctx))
		if rerr := recs.RequeueJob(bg, job.ID, w.c.cfg.Now()); rerr != nil {
			log.Error("jobs: hand the job back", "err", rerr)
		}
		return river.JobSnooze(0)
	}
	if err != nil {
		log.Warn("jobs: de-identification failed", "err", err)
		out = market.JobOutcome{Status: market.JobFailed, Error: err.Error()}
	}
	if err := recs.FinishJob(bg, job.ID, out, w.c.cfg.Now()); err != nil {
		w.c.deps.Processor.Discard(out)
		if errors.Is(err, market.ErrConflict) {
			return nil // its end was recorded already
		}
		return fmt.Errorf("record the outcome of job %s: %w", job.ID, err)
	}
	log.Info("jobs: de-identification finished", "status", out.Status)
	return nil
}

// process reads the job's dataset and runs the processor, turning a panic
// into a failure.
func (w *deidentifyWorker) process(ctx context.Context, job *market.Job, progress func(string, float64)) (out market.JobOutcome, err error) {
	defer func() {
		if p := recover(); p != nil {
			w.c.cfg.Logger.Error("jobs: processor panicked", "job_id", job.ID, "panic", p)
			err = fmt.Errorf("internal error while de-identifying (job %s)", job.ID)
		}
	}()
	ds, err := w.c.deps.Records.JobDataset(ctx, job.DatasetID)
	if err != nil {
		return out, err
	}
	return w.c.deps.Processor.Process(ctx, job, ds, progress)
}

// persistProgress writes the job's progress soon after each change until
// ctx ends.
func (w *deidentifyWorker) persistProgress(ctx context.Context, job *market.Job, prog *progressState) {
	t := time.NewTicker(250 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		stage, frac, dirty := prog.get()
		if !dirty {
			continue
		}
		if err := w.c.deps.Records.ReportProgress(ctx, job.ID, stage, frac, w.c.cfg.Now()); err != nil && ctx.Err() == nil {
			w.c.cfg.Logger.Warn("jobs: progress", "job_id", job.ID, "err", err)
		}
	}
}

// progressState is a job's latest progress, written by the processor and
// persisted by persistProgress.
type progressState struct {
	mu    sync.Mutex
	stage string
	frac  float64
	dirty bool
}

func (p *progressState) set(stage string, frac float64) {
	p.mu.Lock()
	p.stage, p.frac, p.dirty = stage, frac, true
	p.mu.Unlock()
}

func (p *progressState) get() (string, float64, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	dirty := p.dirty
	p.dirty = false
	return p.stage, p.frac, dirty
}
