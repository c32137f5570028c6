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

func TestProgress_TheReporterPersistsThroughThePostgresStore(t *testing.T) {
	pool := pgtest.NewDB(t)
	ctx := context.Background()
	store := postgres.NewJobProgressStore(pool)
	job := mustJob(t, pool)
	if p, err := store.JobProgress(ctx, job); err != nil || p != nil {
		t.Fatalf("before any report: %+v, %v; want none", p, err)
	}
	rep := newProgressReporter(ctx, store, job, time.Hour, time.Now)
	rep.set(market.PhaseRead, 0.25, 2500, 10000)
	rep.set(market.PhaseSearch, 0.5, 10000, 10000)
	rep.close()
	p, err := store.JobProgress(ctx, job)
	if err != nil || p == nil {
		t.Fatalf("after close: %+v, %v", p, err)
	}
	if p.Phase != market.PhaseSearch || p.Fraction != 0.5 || p.RowsRead != 10000 || p.RowsTotal != 10000 || p.UpdatedAt.IsZero() {
		t.Errorf("stored %+v, want the last state: search 0.5, 10000 of 10000 rows", *p)
	}
	t.Run("a job that does not exist is not found", func(t *testing.T) {
		err := store.SaveJobProgress(ctx, market.NewID(), market.JobProgress{Phase: market.PhaseRead, UpdatedAt: time.Now()})
		if !errors.Is(err, market.ErrNotFound) {
			t.Errorf("err %v, want ErrNotFound", err)
		}
	})
	t.Run("an unknown phase is refused", func(t *testing.T) {
		err := store.SaveJobProgress(ctx, job, market.JobProgress{Phase: "dreaming", UpdatedAt: time.Now()})
		if !errors.Is(err, market.ErrInvalid) {
			t.Errorf("err %v, want ErrInvalid", err)
		}
	})
}

// mustJob inserts a party, a user, a dataset and a queued job of theirs.
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
