package postgres_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/internal/postgres/pgtest"
	"github.com/shujiao/shujiao/market"
)

// benchPool returns a pool of 32 connections on a fresh database.
func benchPool(b *testing.B) *pgxpool.Pool {
	b.Helper()
	_, url := pgtest.NewDBURL(b)
	sep := " "
	switch {
	case strings.HasPrefix(url, "postgres") && strings.Contains(url, "?"):
		sep = "&"
	case strings.HasPrefix(url, "postgres"):
		sep = "?"
	}
	db, err := postgres.Open(context.Background(), url+sep+"pool_max_conns=32")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(db.Close)
	return db
}

var benchPayload = json.RawMessage(`{"order_id":"0193a5b2-7c1e-7d3f-9a2b-1c2d3e4f5a6b","amount":"12000.00","buyer":"秦川物流"}`)

// appendTx is one market transaction that records one ledger event.
func appendTx(ctx context.Context, db *pgxpool.Pool, lock bool) error {
	return pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		if lock { // what the ledger avoids: one lock around every append
			if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(42)`); err != nil {
				return err
			}
		}
		_, err := postgres.AppendLedger(ctx, tx, market.LedgerEvent{Kind: "order.paid", SubjectID: market.NewID(), Payload: benchPayload})
		return err
	})
}

// BenchmarkAppendLedger measures appends, each in its own committed
// transaction, from parallel clients (-cpu sets GOMAXPROCS; SetParallelism
// 8 gives 8 clients per P).
func BenchmarkAppendLedger(b *testing.B) {
	for _, tc := range []struct {
		name string
		lock bool
	}{{"append", false}, {"append_behind_one_lock", true}} {
		b.Run(tc.name, func(b *testing.B) {
			ctx := context.Background()
			db := benchPool(b)
			b.SetParallelism(8)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := appendTx(ctx, db, tc.lock); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.StopTimer()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "appends/s")
		})
	}
}

// BenchmarkAppendWhileSequencing measures appends while the sequencer
// integrates them into the tree as fast as it can: the sequencer's lock
// does not stop appends.
func BenchmarkAppendWhileSequencing(b *testing.B) {
	ctx, cancel := context.WithCancel(context.Background())
	db := benchPool(b)
	seq := postgres.NewSequencer(db, nil, nil)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ctx.Err() == nil {
			_, _ = seq.Integrate(ctx)
		}
	}()
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := appendTx(ctx, db, false); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "appends/s")
	cancel()
	<-done
}

// BenchmarkIntegrate measures the sequencer: entries integrated per second.
func BenchmarkIntegrate(b *testing.B) {
	ctx := context.Background()
	db := benchPool(b)
	_, err := db.Exec(ctx, `INSERT INTO ledger_entries (id, kind, payload, at)
SELECT gen_random_uuid(), 'order.paid', $1::jsonb, now() FROM generate_series(1, $2)`, string(benchPayload), b.N)
	if err != nil {
		b.Fatal(err)
	}
	seq := postgres.NewSequencer(db, nil, nil)
	b.ResetTimer()
	size, err := seq.Integrate(ctx)
	if err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	if size != uint64(b.N) {
		b.Fatalf("integrated %d, want %d", size, b.N)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "entries/s")
}
