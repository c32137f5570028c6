package jobs

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/market"
)

// flakySealer fails its first failures calls with err, then seals.
type flakySealer struct {
	mu       sync.Mutex
	failures int
	err      error
	calls    int
	sealed   chan uuid.UUID
}

func (s *flakySealer) Seal(_ context.Context, order uuid.UUID) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	if s.calls <= s.failures {
		return s.err
	}
	if s.sealed != nil {
		s.sealed <- order
	}
	return nil
}

func (s *flakySealer) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls
}

// refunds records the orders refunded.
type refunds struct {
	mu      sync.Mutex
	reasons map[uuid.UUID]string
	done    chan uuid.UUID
}

func (r *refunds) RefundUndeliverable(_ context.Context, order uuid.UUID, reason string) (*market.Order, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.reasons == nil {
		r.reasons = map[uuid.UUID]string{}
	}
	r.reasons[order] = reason
	if r.done != nil {
		r.done <- order
	}
	return &market.Order{ID: order, State: market.OrderRefunded}, nil
}

func (r *refunds) of(order uuid.UUID) (string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	reason, ok := r.reasons[order]
	return reason, ok
}

// sealState waits until the order's River seal reaches a final state.
func (w *world) sealState(order uuid.UUID) (string, int) {
	w.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var st string
		var attempt int
		err := w.owner.QueryRow(context.Background(), `SELECT state::text, attempt FROM river_job WHERE kind = 'seal_delivery' AND args->>'order_id' = $1
ORDER BY id DESC LIMIT 1`, order.String()).Scan(&st, &attempt)
		if err != nil {
			w.t.Fatal(err)
		}
		if st == "completed" || st == "cancelled" || st == "discarded" {
			return st, attempt
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("seal of %s still %s after attempt %d", order, st, attempt)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestSeal_AFailureIsRetriedAndTheDeliverySealed(t *testing.T) {
	w := mustWorld(t)
	sealer := &flakySealer{failures: 2, err: errors.New("blob store: disk full")}
	refunder := &refunds{}
	c := w.client(deps{sealer: sealer, refunder: refunder}, Config{SealAttempts: 5})
	w.start(c)
	order := market.NewID()
	if err := c.QueueSeal(context.Background(), order); err != nil {
		t.Fatal(err)
	}
	if st, attempt := w.sealState(order); st != "completed" || attempt != 3 {
		t.Errorf("seal %s on attempt %d, want completed on the third", st, attempt)
	}
	if _, ok := refunder.of(order); ok {
		t.Error("a seal that succeeded on a retry refunded the buyer")
	}
}

func TestSeal_AttemptsSpentRefundTheBuyer(t *testing.T) {
	w := mustWorld(t)
	sealer := &flakySealer{failures: 100, err: errors.New("blob store: disk full")}
	refunder := &refunds{}
	c := w.client(deps{sealer: sealer, refunder: refunder}, Config{SealAttempts: 3})
	w.start(c)
	order := market.NewID()
	if err := c.QueueSeal(context.Background(), order); err != nil {
		t.Fatal(err)
	}
	if st, attempt := w.sealState(order); st != "cancelled" || attempt != 3 {
		t.Errorf("seal %s on attempt %d, want given up (cancelled) after 3", st, attempt)
	}
	if reason, ok := refunder.of(order); !ok || reason == "" {
		t.Errorf("the buyer was not refunded (reason %q)", reason)
	}
	if n := sealer.count(); n != 3 {
		t.Errorf("sealed %d times, want 3", n)
	}
}

func TestSeal_APermanentFailureRefundsAtOnce(t *testing.T) {
	w := mustWorld(t)
	sealer := &flakySealer{failures: 100, err: market.Errorf(market.ErrConflict, "rows_exceed_release", "order bought 500 rows, the release holds 300")}
	refunder := &refunds{}
	c := w.client(deps{sealer: sealer, refunder: refunder}, Config{SealAttempts: 5})
	w.start(c)
	order := market.NewID()
	if err := c.QueueSeal(context.Background(), order); err != nil {
		t.Fatal(err)
	}
	if st, attempt := w.sealState(order); st != "cancelled" || attempt != 1 {
		t.Errorf("seal %s on attempt %d, want given up (cancelled) on the first", st, attempt)
	}
	if _, ok := refunder.of(order); !ok {
		t.Error("the buyer was not refunded")
	}
	if n := sealer.count(); n != 1 {
		t.Errorf("sealed %d times, want once: retrying cannot help", n)
	}
}

func TestSeal_OneSealQueuedPerOrderAtATime(t *testing.T) {
	w := mustWorld(t)
	c := w.client(deps{}, Config{})
	order := market.NewID()
	for range 3 {
		if err := c.QueueSeal(context.Background(), order); err != nil {
			t.Fatal(err)
		}
	}
	var n int
	if err := w.owner.QueryRow(context.Background(), `SELECT count(*) FROM river_job WHERE kind = 'seal_delivery' AND args->>'order_id' = $1`, order.String()).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("%d seals queued for one order, want 1", n)
	}
}

// A backlog of seals drains at no more than SealWorkers per SealCooldown
// (River fetches no more jobs than it has free workers): the default must
// stay well below River's 100 ms, which held four workers to 40
// deliveries a second on idle cores (bench/load.md), and never above the
// poll interval, which River refuses.
func TestSeal_TheFetchCooldownDefaultsShortAndStaysWithinThePoll(t *testing.T) {
	for _, tc := range []struct {
		in   Config
		want time.Duration
	}{
		{Config{}, 10 * time.Millisecond},
		{Config{Poll: 5 * time.Millisecond}, 5 * time.Millisecond},
		{Config{SealCooldown: 30 * time.Millisecond}, 30 * time.Millisecond},
		{Config{SealCooldown: 2 * time.Second}, time.Second},
	} {
		cfg := tc.in
		cfg.defaults()
		if cfg.SealCooldown != tc.want {
			t.Errorf("%+v: seal cooldown %v, want %v", tc.in, cfg.SealCooldown, tc.want)
		}
	}
}

// Sealing is background work: a seal waits while a request is in flight
// (Foreground), and starts the moment the last one leaves.
func TestSeal_WaitsForTheRequestsInFlight(t *testing.T) {
	w := mustWorld(t)
	fg := NewForeground(time.Minute)
	sealer := &flakySealer{sealed: make(chan uuid.UUID, 1)}
	c := w.client(deps{sealer: sealer}, Config{Foreground: fg, SealYield: time.Minute})
	w.start(c)
	leave := fg.Enter() // a buyer's order being placed
	order := market.NewID()
	if err := c.QueueSeal(context.Background(), order); err != nil {
		t.Fatal(err)
	}
	select {
	case <-sealer.sealed:
		t.Fatal("the delivery was sealed while a request was in flight")
	case <-time.After(500 * time.Millisecond):
	}
	leave()
	select {
	case got := <-sealer.sealed:
		if got != order {
			t.Errorf("sealed %s, want %s", got, order)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the seal did not start once the request left")
	}
}

// Under a steady stream of requests a seal still starts after SealYield:
// the backlog moves however busy the server.
func TestSeal_StartsAfterSealYieldUnderASteadyStream(t *testing.T) {
	w := mustWorld(t)
	fg := NewForeground(time.Minute)
	sealer := &flakySealer{sealed: make(chan uuid.UUID, 1)}
	c := w.client(deps{sealer: sealer}, Config{Foreground: fg, SealYield: 100 * time.Millisecond})
	w.start(c)
	defer fg.Enter()() // never leaves while the test runs
	order := market.NewID()
	if err := c.QueueSeal(context.Background(), order); err != nil {
		t.Fatal(err)
	}
	select {
	case <-sealer.sealed:
	case <-time.After(20 * time.Second):
		t.Fatal("a seal waited past SealYield")
	}
}
