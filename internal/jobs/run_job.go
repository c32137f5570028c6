package jobs

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/shujiao/shujiao/market"
)

// progressState is a job's latest progress, written by the processor and
// persisted by the heartbeat.
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

func (p *progressState) get() (string, float64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.dirty = false
	return p.stage, p.frac
}

// run processes one claimed job with a heartbeat that persists progress
// and renews the lease; a lost lease cancels the work.
func (r *Runner) run(ctx context.Context, job *market.Job) {
	log := r.cfg.Logger.With("job_id", job.ID, "attempt", job.Attempts)
	log.Info("jobs: started")
	jctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	prog := &progressState{stage: "starting"}
	beat := make(chan struct{})
	go func() {
		defer close(beat)
		r.heartbeat(jctx, cancel, job, prog)
	}()
	out, err := r.process(jctx, job, prog.set)
	cancel(errStopping)
	<-beat
	if ctx.Err() != nil || errors.Is(context.Cause(jctx), errLeaseLost) {
		log.Info("jobs: interrupted; the job goes back to the queue", "cause", context.Cause(jctx))
		if err == nil {
			r.proc.Discard(out) // a release stored just before the interruption: nothing records it
		}
		return
	}
	if err != nil {
		log.Warn("jobs: failed", "err", err)
		out = market.JobOutcome{Status: market.JobFailed, Error: err.Error()}
	}
	bg, done := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer done()
	if err := r.store.FinishJob(bg, job.ID, r.worker, out, r.cfg.Now()); err != nil {
		log.Error("jobs: record outcome", "err", err)
		r.proc.Discard(out)
		return
	}
	log.Info("jobs: finished", "status", out.Status)
}

// process runs the processor, turning a panic into a failure.
func (r *Runner) process(ctx context.Context, job *market.Job, progress func(string, float64)) (out market.JobOutcome, err error) {
	defer func() {
		if p := recover(); p != nil {
			r.cfg.Logger.Error("jobs: processor panicked", "job_id", job.ID, "panic", p)
			err = fmt.Errorf("internal error while de-identifying (job %s)", job.ID)
		}
	}()
	ds, err := r.store.JobDataset(ctx, job.DatasetID)
	if err != nil {
		return out, err
	}
	return r.proc.Process(ctx, job, ds, progress)
}

var errLeaseLost = errors.New("job lease lost")

// heartbeat persists progress and renews the lease every third of the
// lease (and soon after each change) until ctx ends.
func (r *Runner) heartbeat(ctx context.Context, cancel context.CancelCauseFunc, job *market.Job, prog *progressState) {
	renew := time.NewTicker(r.cfg.Lease / 3)
	defer renew.Stop()
	flush := time.NewTicker(250 * time.Millisecond)
	defer flush.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-flush.C:
			prog.mu.Lock()
			dirty := prog.dirty
			prog.mu.Unlock()
			if !dirty {
				continue
			}
		case <-renew.C:
		}
		stage, frac := prog.get()
		err := r.store.ReportProgress(ctx, job.ID, r.worker, stage, frac, r.cfg.Now(), r.cfg.Lease)
		if errors.Is(err, market.ErrConflict) {
			cancel(errLeaseLost)
			return
		}
		if err != nil && ctx.Err() == nil {
			r.cfg.Logger.Warn("jobs: heartbeat", "job_id", job.ID, "err", err)
		}
	}
}
