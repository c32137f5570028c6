package jobs

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/market"
)

// recordingSink keeps every progress written.
type recordingSink struct {
	mu  sync.Mutex
	got []market.JobProgress
}

func (s *recordingSink) SaveJobProgress(_ context.Context, _ uuid.UUID, p market.JobProgress) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.got = append(s.got, p)
	return nil
}

func (s *recordingSink) all() []market.JobProgress {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]market.JobProgress(nil), s.got...)
}

func TestProgressReporter_ThrottlesWritesAndKeepsEveryPhaseAndTheLastState(t *testing.T) {
	sink := &recordingSink{}
	p := newProgressReporter(context.Background(), sink, uuid.New(), time.Hour, time.Now)
	for i := range 100_000 {
		p.set(market.PhaseSearch, float64(i)/100_000, 500, 500)
	}
	// a phase change is written at once, without waiting for the interval
	p.set(market.PhaseWrite, 0.5, 500, 500)
	deadline := time.Now().Add(5 * time.Second)
	for {
		got := sink.all()
		if len(got) > 0 && got[len(got)-1].Phase == market.PhaseWrite {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the write phase was not written at once: %+v", got)
		}
		time.Sleep(5 * time.Millisecond)
	}
	p.set(market.PhaseWrite, 1, 500, 500)
	p.close()
	got := sink.all()
	if len(got) > 4 {
		t.Errorf("%d writes for 100,002 updates within one interval, want a handful", len(got))
	}
	last := got[len(got)-1]
	if last.Phase != market.PhaseWrite || last.Fraction != 1 || last.RowsRead != 500 || last.UpdatedAt.IsZero() {
		t.Errorf("last written %+v, want write 1 with 500 rows", last)
	}
}

func TestProgressReporter_WritesAboutOncePerInterval(t *testing.T) {
	const every = 20 * time.Millisecond
	sink := &recordingSink{}
	p := newProgressReporter(context.Background(), sink, uuid.New(), every, time.Now)
	start := time.Now()
	for i := 0; time.Since(start) < 300*time.Millisecond; i++ {
		p.set(market.PhaseRead, 0.5, int64(i), 0)
		time.Sleep(100 * time.Microsecond)
	}
	// it writes while the job runs (a new phase at once), not only at close
	for deadline := time.Now().Add(5 * time.Second); len(sink.all()) == 0; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("nothing written while the job ran")
		}
	}
	// and at most once per interval (one more at close): a ticker cannot
	// fire more often, however loaded the machine is
	limit := int(time.Since(start)/every) + 2
	p.close()
	if n := len(sink.all()); n > limit {
		t.Errorf("%d writes, want at most %d at a %s interval", n, limit, every)
	}
}

func TestProgressReporter_WithoutASinkDoesNothing(t *testing.T) {
	p := newProgressReporter(context.Background(), nil, uuid.New(), time.Millisecond, time.Now)
	p.set(market.PhaseRead, 1, 1, 1)
	p.close()
}
