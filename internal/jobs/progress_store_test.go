package jobs

import (
	"context"
	"errors"
	"testing"
	"time"

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
