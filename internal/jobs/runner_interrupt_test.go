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

func (p *storingProcessor) Process(ctx context.Context, job *market.Job, _ *market.Dataset, _ func(string, float64)) (market.JobOutcome, error) {
	p.started <- job.ID
	<-ctx.Done()
	return market.JobOutcome{Status: market.JobSucceeded, CreatedBlob: "release-of-" + job.ID.String()}, nil
}

func (p *storingProcessor) Discard(out market.JobOutcome) {
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

// TestRunner_AJobWhoseWorkerIsGoneIsRecoveredAtStart: a job left running by
// a killed server (its lease still an hour long) is taken back when the
// next runner starts, and run; a live worker's job is left alone. Before,
// it stayed "running" until its lease ran out (30–45 s, or here an hour).
func TestRunner_AJobWhoseWorkerIsGoneIsRecoveredAtStart(t *testing.T) {
	pool := pgtest.NewDB(t)
	ctx := context.Background()
	store := postgres.NewJobStore(pool)
	dead := mustJob(t, pool)
	if j, err := store.ClaimJob(ctx, uuid.New(), time.Now(), time.Hour); err != nil || j == nil || j.ID != dead {
		t.Fatalf("claim as a worker that then dies: %v %v", j, err)
	}
	live := mustJob(t, pool)
	liveWorker := uuid.New()
	release, err := store.HoldWorker(ctx, liveWorker)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	if j, err := store.ClaimJob(ctx, liveWorker, time.Now(), time.Hour); err != nil || j == nil || j.ID != live {
		t.Fatalf("claim as a live worker: %v %v", j, err)
	}

	proc := &blockingProcessor{started: make(chan uuid.UUID, 2), finish: true}
	r := New(store, proc, Config{Workers: 1, Lease: time.Hour, Poll: 20 * time.Millisecond})
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go r.Run(rctx)
	select {
	case got := <-proc.started:
		if got != dead {
			t.Fatalf("the new runner ran %s, want the dead worker's job %s", got, dead)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the dead worker's job was not recovered at start")
	}
	if st, _, _, _ := jobStatus(t, pool, live); st != market.JobRunning {
		t.Errorf("the live worker's job is %s, want still running", st)
	}
}
