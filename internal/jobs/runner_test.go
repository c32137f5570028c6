package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/internal/postgres/pgtest"
	"github.com/shujiao/shujiao/market"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// blockingProcessor reports progress and then waits for its context, like
// a long job when the server stops; or, when finish is set, succeeds at once.
type blockingProcessor struct {
	started chan uuid.UUID
	finish  bool
}

func (p *blockingProcessor) Process(ctx context.Context, job *market.Job, ds *market.Dataset, progress func(string, float64)) (market.JobOutcome, error) {
	progress("searching", 0.5)
	p.started <- job.ID
	if p.finish {
		return market.JobOutcome{Status: market.JobRejected, Gate: json.RawMessage(`{"passed":false}`)}, nil
	}
	<-ctx.Done()
	return market.JobOutcome{}, ctx.Err()
}

func (p *blockingProcessor) Discard(market.JobOutcome) {}

// mustJob stores a party, a user, a dataset and a queued job; it returns the job id.
func mustJob(tb testing.TB, pool *pgxpool.Pool) uuid.UUID {
	tb.Helper()
	ctx := context.Background()
	party, user, ds, job := market.NewID(), market.NewID(), market.NewID(), market.NewID()
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO parties (id, kind, name, jurisdiction) VALUES ($1, 'individual', '张三', '61')`, []any{party}},
		{`INSERT INTO users (id, email, name, password_hash) VALUES ($1, $2, '张三', 'x')`, []any{user, user.String() + "@t.test"}},
		{`INSERT INTO datasets (id, party_id, uploaded_by, name, format, sha256, size_bytes, row_count, columns, detection, created_at)
VALUES ($1, $2, $3, 'a.csv', 'csv', repeat('a', 64), 1, 1, '["a"]', '{}', now())`, []any{ds, party, user}},
	} {
		if _, err := pool.Exec(ctx, q.sql, q.args...); err != nil {
			tb.Fatal(err)
		}
	}
	j := &market.Job{ID: job, PartyID: market.PartyID(party), DatasetID: ds, CreatedBy: market.UserID(user),
		Policy: json.RawMessage(`{"columns":{"a":{"role":"insensitive"}}}`), Mode: "public", CreatedAt: time.Now()}
	if err := postgres.NewJobStore(pool).CreateJob(ctx, j); err != nil {
		tb.Fatal(err)
	}
	return job
}

func jobStatus(tb testing.TB, pool *pgxpool.Pool, id uuid.UUID) (market.JobStatus, string, float64, int) {
	tb.Helper()
	var st market.JobStatus
	var stage string
	var progress float64
	var attempts int
	if err := pool.QueryRow(context.Background(), `SELECT status, stage, progress, attempts FROM jobs WHERE id = $1`, id).
		Scan(&st, &stage, &progress, &attempts); err != nil {
		tb.Fatal(err)
	}
	return st, stage, progress, attempts
}

func TestRunner_AStoppingServerHandsItsRunningJobBackToTheQueue(t *testing.T) {
	pool := pgtest.NewDB(t)
	id := mustJob(t, pool)
	proc := &blockingProcessor{started: make(chan uuid.UUID, 1)}
	r := New(postgres.NewJobStore(pool), proc, Config{Workers: 1, Lease: 3 * time.Second, Poll: 20 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- r.Run(ctx) }()
	<-proc.started
	deadline := time.Now().Add(5 * time.Second)
	for {
		st, stage, progress, _ := jobStatus(t, pool, id)
		if st == market.JobRunning && stage == "searching" && progress == 0.5 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("progress never persisted: %s %s %.2f", st, stage, progress)
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if st, _, _, attempts := jobStatus(t, pool, id); st != market.JobQueued || attempts != 0 {
		t.Fatalf("after a clean stop: %s after %d attempts, want queued with the attempt not counted", st, attempts)
	}

	proc2 := &blockingProcessor{started: make(chan uuid.UUID, 1), finish: true}
	r2 := New(postgres.NewJobStore(pool), proc2, Config{Workers: 1, Lease: 3 * time.Second, Poll: 20 * time.Millisecond})
	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	go r2.Run(ctx2)
	if got := <-proc2.started; got != id {
		t.Fatalf("the next server ran job %s, want %s", got, id)
	}
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if st, _, _, _ := jobStatus(t, pool, id); st == market.JobRejected {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the next server did not finish the job")
		}
	}
}

func TestRunner_AWorkerThatLostItsLeaseRecordsNothing(t *testing.T) {
	pool := pgtest.NewDB(t)
	id := mustJob(t, pool)
	store := postgres.NewJobStore(pool)
	ctx := context.Background()
	a, b := market.NewID(), market.NewID()
	j, err := store.ClaimJob(ctx, a, time.Now().Add(-time.Hour), time.Minute)
	if err != nil || j == nil || j.ID != id {
		t.Fatalf("claim: %v %v", j, err)
	}
	if requeued, failed, err := store.RecoverJobs(ctx, time.Now()); err != nil || requeued != 1 || failed != 0 {
		t.Fatalf("recover: %d requeued, %d failed, %v; want 1 requeued", requeued, failed, err)
	}
	if j, err := store.ClaimJob(ctx, b, time.Now(), time.Minute); err != nil || j == nil {
		t.Fatalf("second claim: %v %v", j, err)
	}
	err = store.FinishJob(ctx, id, a, market.JobOutcome{Status: market.JobFailed, Error: "late"}, time.Now())
	if !errors.Is(err, market.ErrConflict) {
		t.Errorf("the first worker finishing: %v, want ErrConflict (lease lost)", err)
	}
	if err := store.ReportProgress(ctx, id, a, "x", 0.9, time.Now(), time.Minute); !errors.Is(err, market.ErrConflict) {
		t.Errorf("the first worker reporting progress: %v, want ErrConflict", err)
	}
	if st, _, _, attempts := jobStatus(t, pool, id); st != market.JobRunning || attempts != 2 {
		t.Errorf("job %s after %d attempts, want running on its second attempt", st, attempts)
	}
}
