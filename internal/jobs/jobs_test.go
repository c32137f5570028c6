package jobs

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river/rivertype"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/internal/postgres/pgtest"
	"github.com/shujiao/shujiao/market"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// fastRetry retries at once: the tests wait for attempts, not for backoff.
type fastRetry struct{}

func (fastRetry) NextRetry(*rivertype.JobRow) time.Time { return time.Now() }

// world is a database with the server role's pool, as serve runs River.
type world struct {
	t     *testing.T
	owner *pgxpool.Pool
	app   *pgxpool.Pool
}

func mustWorld(t *testing.T) *world {
	t.Helper()
	owner := pgtest.NewDB(t)
	app, err := postgres.OpenAppPool(context.Background(), owner)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(app.Close)
	return &world{t: t, owner: owner, app: app}
}

// deps are a client's dependencies; nil fields get fakes that fail the test.
type deps struct {
	proc     Processor
	sealer   Sealer
	refunder Refunder
}

// client builds a River client as the server role, with cfg's zero fields
// set for tests (fast polling and retries, a short grace).
func (w *world) client(d deps, cfg Config) *Client {
	w.t.Helper()
	if d.proc == nil {
		d.proc = &blockingProcessor{started: make(chan uuid.UUID, 8), finish: true}
	}
	if d.sealer == nil {
		d.sealer = &flakySealer{}
	}
	if d.refunder == nil {
		d.refunder = &refunds{}
	}
	if cfg.Poll == 0 {
		cfg.Poll = 50 * time.Millisecond
	}
	if cfg.RetryPolicy == nil {
		cfg.RetryPolicy = fastRetry{}
	}
	if cfg.Logger == nil && testing.Verbose() {
		cfg.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	if cfg.StopGrace == 0 {
		cfg.StopGrace = 100 * time.Millisecond
	}
	c, err := New(w.app, Deps{Records: postgres.NewJobStore(w.app), RecordsTx: func(tx pgx.Tx) TxRecords { return postgres.NewJobStore(tx) },
		Processor: d.proc, Sealer: d.sealer, Refunder: d.refunder,
		MarkSealing: func(context.Context, pgx.Tx, uuid.UUID) error { return nil }}, cfg)
	if err != nil {
		w.t.Fatal(err)
	}
	return c
}

// start runs c until the test ends (or until the test stops it itself).
func (w *world) start(c *Client) {
	w.t.Helper()
	if err := c.Start(context.Background()); err != nil {
		w.t.Fatal(err)
	}
	w.t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = c.Stop(ctx)
	})
}

// mustJob stores a party, a user, a dataset and queues a job through c;
// it returns the job id.
func (w *world) mustJob(c *Client) uuid.UUID {
	w.t.Helper()
	ctx := context.Background()
	party, user, ds := market.NewID(), market.NewID(), market.NewID()
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO parties (id, kind, name, jurisdiction) VALUES ($1, 'individual', '张三', '61')`, []any{party}},
		{`INSERT INTO users (id, email, name, password_hash) VALUES ($1, $2, '张三', 'x')`, []any{user, user.String() + "@t.test"}},
		{`INSERT INTO datasets (id, party_id, uploaded_by, name, format, sha256, size_bytes, row_count, columns, detection, created_at)
VALUES ($1, $2, $3, 'a.csv', 'csv', repeat('a', 64), 1, 1, '["a"]', '{}', now())`, []any{ds, party, user}},
	} {
		if _, err := w.owner.Exec(ctx, q.sql, q.args...); err != nil {
			w.t.Fatal(err)
		}
	}
	j := &market.Job{ID: market.NewID(), PartyID: market.PartyID(party), DatasetID: ds, CreatedBy: market.UserID(user),
		Policy: json.RawMessage(`{"columns":{"a":{"role":"insensitive"}}}`), Mode: "public", CreatedAt: time.Now()}
	if err := c.QueueJob(ctx, j); err != nil {
		w.t.Fatal(err)
	}
	return j.ID
}

// job reads job id from the store (market.Jobs checks who may see it).
func (w *world) job(id uuid.UUID) *market.Job {
	w.t.Helper()
	j, err := postgres.NewJobStore(w.app).Job(context.Background(), id)
	if err != nil {
		w.t.Fatal(err)
	}
	return j
}

// waitJob waits until job id satisfies ok.
func (w *world) waitJob(id uuid.UUID, what string, ok func(*market.Job) bool) *market.Job {
	w.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		j := w.job(id)
		if ok(j) {
			return j
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("job %s never %s: %s %s %.2f after %d attempts, error %q", id, what, j.Status, j.Stage, j.Progress, j.Attempts, j.Error)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// riverState is the state of the River job that runs job id.
func (w *world) riverState(id uuid.UUID) (string, int) {
	w.t.Helper()
	var st string
	var attempt int
	if err := w.owner.QueryRow(context.Background(), `SELECT r.state::text, r.attempt FROM jobs j JOIN river_job r ON r.id = j.river_job_id WHERE j.id = $1`, id).
		Scan(&st, &attempt); err != nil {
		w.t.Fatal(err)
	}
	return st, attempt
}

// blockingProcessor reports progress and then waits for its context, like
// a long job when the server stops; or, when finish is set, ends at once
// with a gate refusal.
type blockingProcessor struct {
	started chan uuid.UUID
	finish  bool
}

func (p *blockingProcessor) Process(ctx context.Context, job *market.Job, _ *market.Dataset, progress func(string, float64)) (market.JobOutcome, error) {
	progress("searching", 0.5)
	p.started <- job.ID
	if p.finish {
		return market.JobOutcome{Status: market.JobRejected, Gate: json.RawMessage(`{"passed":false}`)}, nil
	}
	<-ctx.Done()
	return market.JobOutcome{}, ctx.Err()
}

func (p *blockingProcessor) Discard(market.JobOutcome) {}

// storingProcessor finishes storing its release just as the server stops:
// it returns a successful outcome naming the blob it created after its
// context ended, and remembers what the worker discarded.
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
