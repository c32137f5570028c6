package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"syscall"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
	"github.com/shujiao/shujiao/internal/blob"
	"github.com/shujiao/shujiao/internal/delivery"
	"github.com/shujiao/shujiao/internal/jobs"
	"github.com/shujiao/shujiao/internal/pgp"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/internal/trace"
	"github.com/shujiao/shujiao/market"
)

// sealer places orders through the services (no HTTP) and has River seal
// them in this process with the workers serve runs (jobs.Config's
// defaults, the delivery service wired as cmd/shujiao wires it).
type sealer struct {
	e      *env
	key    *pgp.Key // the platform key serve created in the data directory
	blobs  *blob.Store
	quotes *market.Quotes
	buyers []market.Actor
	buyer  *pgp.Key // every buyer's key (private part: the check opens a delivery)
}

func newSealer(e *env, buyers []market.Actor, buyerKey *pgp.Key) (*sealer, error) {
	key, _, err := pgp.OpenPlatformKey(e.dir)
	if err != nil {
		return nil, err
	}
	blobs, err := blob.Open(e.dir)
	if err != nil {
		return nil, err
	}
	return &sealer{e: e, key: key, blobs: blobs, quotes: market.NewQuotes(postgres.NewStores(e.app, key.Public()).Quotes),
		buyers: buyers, buyer: buyerKey}, nil
}

// delivery is the delivery service as serve wires it (wire_orders.go):
// each copy fingerprinted for its order (SHUJIAO_FINGERPRINT on, the
// default), or the release sealed once for all buyers (off).
func (s *sealer) delivery(fingerprint bool) *delivery.Service {
	d := delivery.New(postgres.NewDeliveryStore(s.e.app), s.blobs, s.key, 0, nil)
	if fingerprint {
		d.WithCopies(&trace.Service{Store: postgres.CopyStore{DB: s.e.app}, Blobs: s.blobs, Key: s.blobs.DeriveKey(trace.KeyLabel)})
	}
	return d
}

// noDeidentify is the de-identification worker of the benchmark's River
// client: the seeding server certified every release before it stopped.
type noDeidentify struct{}

func (noDeidentify) Process(context.Context, *market.Job, *market.Dataset, func(string, float64)) (market.JobOutcome, error) {
	return market.JobOutcome{}, errors.New("sealbench: no de-identification here")
}
func (noDeidentify) Discard(market.JobOutcome) {}

// client returns a River client sealing through d with serve's worker
// configuration (wire_river.go: jobs.Config with only a logger).
func (s *sealer) client(d *delivery.Service) (*jobs.Client, error) {
	return jobs.New(s.e.app, jobs.Deps{
		Records:   postgres.NewJobStore(s.e.app),
		RecordsTx: func(tx pgx.Tx) jobs.TxRecords { return postgres.NewJobStore(tx) },
		Processor: noDeidentify{},
		Sealer:    d,
		Refunder:  market.NewOrders(postgres.NewOrderStore(s.e.app, s.key.Public()), market.DefaultOrderConfig(), nil),
		MarkSealing: func(ctx context.Context, tx pgx.Tx, order uuid.UUID) error {
			return postgres.MarkDelivery(ctx, tx, order, market.DeliverySealing, "")
		},
	}, jobs.Config{})
}

// place places one order of l for buyer i (quote, then the order paid
// into escrow in one transaction that queues its seal through c).
func (s *sealer) place(ctx context.Context, orders *market.Orders, l listing, i int) (uuid.UUID, error) {
	buyer := s.buyers[i%len(s.buyers)]
	conds := market.Conditions{Security: market.Security{DeliveryMode: "encrypted_file", CertificationLevel: "L3"},
		Cost: market.Cost{Volume: decimal.NewFromInt(1), Channel: "standard"}, Stage: market.StageDirect, DurationMonths: 12}
	q, err := s.quotes.Create(ctx, buyer, l.id, conds, "web", time.Now())
	if err != nil {
		return uuid.Nil, fmt.Errorf("quote: %w", err)
	}
	o, _, err := orders.Place(ctx, buyer, uuid.NewString(), market.OrderRequest{QuoteID: q.ID, UsagePurpose: "seal benchmark",
		Licence: market.LicenceTerms{Accepted: true, Terms: "Shujiao standard data licence v1", Scope: []string{"internal_analysis"}}})
	if err != nil {
		return uuid.Nil, fmt.Errorf("order: %w", err)
	}
	return o.ID, nil
}

// orders is the order service queueing seals through c, as serve's.
func (s *sealer) orders(c *jobs.Client) *market.Orders {
	return market.NewOrders(postgres.NewOrderStore(s.e.app, s.key.Public()).WithDeliveryQueue(c.InsertSealTx), market.DefaultOrderConfig(), nil)
}

// placeMany places n orders of l, a few at a time, before any River
// client works the queue.
func (s *sealer) placeMany(ctx context.Context, orders *market.Orders, l listing, n int) ([]uuid.UUID, error) {
	ids := make([]uuid.UUID, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(4, n) {
		wg.Go(func() {
			for i := range next {
				ids[i], errs[i] = s.place(ctx, orders, l, i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	return ids, errors.Join(errs...)
}

// batch is what River's rows and the deliveries say of a set of seals.
type batch struct {
	jobs, completed int
	bytes           int64 // the sealed deliveries' sizes, as downloaded
	wait, seal      []time.Duration
	first, last     time.Time // first attempt, last finalization
}

// measure waits until every seal of orders is final (up to timeout) and
// returns their figures: queue wait = attempted_at − created_at (River's
// job row), seal = finalized_at − attempted_at.
func (s *sealer) measure(ctx context.Context, orders []uuid.UUID, timeout time.Duration) (batch, error) {
	keys := make([]string, len(orders))
	for i, id := range orders {
		keys[i] = id.String()
	}
	for deadline := time.Now().Add(timeout); ; time.Sleep(50 * time.Millisecond) {
		var pending int
		if err := s.e.owner.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE kind = 'seal_delivery' AND args->>'order_id' = ANY($1)
AND finalized_at IS NULL`, keys).Scan(&pending); err != nil {
			return batch{}, err
		}
		if pending == 0 {
			break
		}
		if time.Now().After(deadline) {
			return batch{}, fmt.Errorf("%d of %d seals still pending after %s", pending, len(orders), timeout)
		}
	}
	rows, err := s.e.owner.Query(ctx, `SELECT j.state::text, j.created_at, j.attempted_at, j.finalized_at, coalesce(d.size_bytes, 0)
FROM river_job j LEFT JOIN deliveries d ON d.order_id = (j.args->>'order_id')::uuid
WHERE j.kind = 'seal_delivery' AND j.args->>'order_id' = ANY($1)`, keys)
	if err != nil {
		return batch{}, err
	}
	defer rows.Close()
	var b batch
	for rows.Next() {
		var state string
		var created, attempted, finalized time.Time
		var size int64
		if err := rows.Scan(&state, &created, &attempted, &finalized, &size); err != nil {
			return batch{}, err
		}
		b.jobs++
		if state != "completed" {
			continue
		}
		b.completed++
		b.bytes += size
		b.wait = append(b.wait, attempted.Sub(created))
		b.seal = append(b.seal, finalized.Sub(attempted))
		if b.first.IsZero() || attempted.Before(b.first) {
			b.first = attempted
		}
		if finalized.After(b.last) {
			b.last = finalized
		}
	}
	return b, rows.Err()
}

// cpuTime is this process's user + system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// pct returns the p-th percentile of d (nearest rank).
func pct(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	i := int(float64(len(s))*p/100+0.5) - 1
	return s[max(0, min(i, len(s)-1))]
}
