package jobs

import (
	"context"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/market"
)

// ProgressSink receives the progress of a de-identification job as it
// runs: phase, fraction of the phase, rows read. The de-identification
// calls it through a reporter that throttles it to about once a second,
// whatever runs the job (this package's runner or a queue such as River).
// market.JobProgressStore (postgres.JobProgressStore) is one.
type ProgressSink interface {
	SaveJobProgress(ctx context.Context, id uuid.UUID, p market.JobProgress) error
}

// progressEvery is how often a job's progress is written at most.
const progressEvery = time.Second

// progressReporter throttles one job's progress into a sink: set records
// the latest state at once (it is called from the search's goroutines);
// a background loop writes it when it changed, at most every interval,
// and at once when the phase changes; close writes the last state. A
// failed write is not retried and does not fail the job. It is safe for
// concurrent use.
type progressReporter struct {
	sink  ProgressSink
	job   uuid.UUID
	now   func() time.Time
	mu    sync.Mutex
	cur   market.JobProgress
	dirty bool
	kick  chan struct{}
	stop  chan struct{}
	done  chan struct{}
}

// newProgressReporter starts reporting job's progress to sink until
// close; a nil sink reports nothing.
func newProgressReporter(ctx context.Context, sink ProgressSink, job uuid.UUID, every time.Duration, now func() time.Time) *progressReporter {
	p := &progressReporter{sink: sink, job: job, now: now, kick: make(chan struct{}, 1),
		stop: make(chan struct{}), done: make(chan struct{})}
	if sink == nil {
		close(p.done)
		return p
	}
	go p.loop(context.WithoutCancel(ctx), every)
	return p
}

// set records the job's state: phase, fraction of the phase (clamped to
// 0…1), rows read and rows in all (0 when unknown).
func (p *progressReporter) set(phase string, frac float64, rowsRead, rowsTotal int64) {
	if p.sink == nil {
		return
	}
	p.mu.Lock()
	changed := p.cur.Phase != phase
	p.cur = market.JobProgress{Phase: phase, Fraction: min(max(frac, 0), 1), RowsRead: rowsRead, RowsTotal: rowsTotal}
	p.dirty = true
	p.mu.Unlock()
	if changed {
		select {
		case p.kick <- struct{}{}:
		default:
		}
	}
}

func (p *progressReporter) loop(ctx context.Context, every time.Duration) {
	defer close(p.done)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			p.flush(ctx)
			return
		case <-t.C:
		case <-p.kick:
		}
		p.flush(ctx)
	}
}

// flush writes the state when it changed since the last write.
func (p *progressReporter) flush(ctx context.Context) {
	p.mu.Lock()
	if !p.dirty {
		p.mu.Unlock()
		return
	}
	cur := p.cur
	cur.UpdatedAt = p.now().UTC()
	p.dirty = false
	p.mu.Unlock()
	wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	_ = p.sink.SaveJobProgress(wctx, p.job, cur) // progress is advisory: the job goes on
}

// close writes the last state and stops the reporter.
func (p *progressReporter) close() {
	if p.sink != nil {
		select {
		case <-p.stop:
		default:
			close(p.stop)
		}
	}
	<-p.done
}
