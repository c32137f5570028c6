package jobs

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/internal/postgres/pgtest"
	"github.com/shujiao/shujiao/market"
)

// storingProcessor finishes storing its release just as the server stops:
// it returns a successful outcome naming the blob it created after its
// context ended, and remembers what the runner discarded.
type storingProcessor struct {
	started   chan uuid.UUID
	mu        sync.Mutex
	discarded []string
}

func (p *storingProcessor) Process(ctx context.Context, job *market.Job, _ *market.Dataset, _ func(string, float64)) (postgres.JobOutcome, error) {
	p.started <- job.ID
	<-ctx.Done()
	return postgres.JobOutcome{Status: market.JobSucceeded, CreatedBlob: "release-of-" + job.ID.String()}, nil
}

func (p *storingProcessor) Discard(out postgres.JobOutcome) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.discarded = append(p.discarded, out.CreatedBlob)
}

// TestRunner_AnInterruptedJobLeavesNoRelease: a job whose release was
// stored when SIGTERM came is handed back to the queue and its release is
// discarded, not left for nothing to reference (before, a 113 MB file stayed
// behind after every interrupted run).
func TestRunner_AnInterruptedJobLeavesNoRelease(t *testing.T) {
	pool := pgtest.NewDB(t)
	id := mustJob(t, pool)
	proc := &storingProcessor{started: make(chan uuid.UUID, 1)}
	r := New(postgres.NewJobStore(pool), proc, Config{Workers: 1, Lease: 3 * time.Second, Poll: 20 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- r.Run(ctx) }()
	<-proc.started
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if st, _, _, _ := jobStatus(t, pool, id); st != market.JobQueued {
		t.Errorf("job %s after the interruption, want queued", st)
	}
	proc.mu.Lock()
	defer proc.mu.Unlock()
	if len(proc.discarded) != 1 || proc.discarded[0] != "release-of-"+id.String() {
		t.Errorf("discarded %v, want the interrupted job's release", proc.discarded)
	}
}
