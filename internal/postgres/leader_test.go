package postgres_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/internal/postgres/pgtest"
)

// contender is one process's Leader running in the background.
type contender struct {
	leader *postgres.Leader
	runs   atomic.Int32 // lead is running (0 or 1)
	terms  atomic.Int32 // how many times lead started
	cancel context.CancelFunc
	done   chan struct{}
}

func startContender(t *testing.T, l *postgres.Leader, both *atomic.Int32, overlap *atomic.Bool) *contender {
	ctx, cancel := context.WithCancel(context.Background())
	c := &contender{leader: l, cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(c.done)
		l.Run(ctx, func(ctx context.Context) {
			c.terms.Add(1)
			c.runs.Store(1)
			if both.Add(1) > 1 {
				overlap.Store(true)
			}
			<-ctx.Done()
			both.Add(-1)
			c.runs.Store(0)
		})
	}()
	t.Cleanup(c.stop)
	return c
}

func (c *contender) stop() {
	c.cancel()
	<-c.done
}

// waitFor polls cond for up to 30 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("after 30 s: %s", what)
		}
	}
}

// TestLeader_OneAtATimeAndMovesOnStopOrLostConnection: two processes on one
// database elect one leader; leadership moves when the leader stops, and
// when its lock's session is terminated under it.
func TestLeader_OneAtATimeAndMovesOnStopOrLostConnection(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewDB(t)
	cfg := pool.Config().ConnConfig
	var both atomic.Int32
	var overlap atomic.Bool
	a := startContender(t, postgres.NewLeader(cfg, postgres.SequencerLeaderKey, 50*time.Millisecond, "test", nil), &both, &overlap)
	waitFor(t, "a leads", func() bool { return a.runs.Load() == 1 && a.leader.Leading() })
	b := startContender(t, postgres.NewLeader(cfg, postgres.SequencerLeaderKey, 50*time.Millisecond, "test", nil), &both, &overlap)
	time.Sleep(300 * time.Millisecond) // b tries several times and must not lead
	if b.terms.Load() != 0 || b.leader.Leading() {
		t.Fatal("b leads while a holds the lock")
	}
	if overlap.Load() {
		t.Fatal("two leaders ran at once")
	}

	// The leader's connection goes (its backend is terminated): b takes over.
	ctx := context.Background()
	var killed int
	err := pool.QueryRow(ctx, `SELECT count(pg_terminate_backend(l.pid)) FROM pg_locks l
		WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`).Scan(&killed)
	if err != nil || killed != 1 {
		t.Fatalf("terminate the leader's session: %d sessions, %v", killed, err)
	}
	waitFor(t, "b leads after a's session was terminated", func() bool { return b.runs.Load() == 1 })
	waitFor(t, "a stops leading after its session was terminated", func() bool { return a.runs.Load() == 0 && !a.leader.Leading() })
	// Between the termination and a's next ping both may have run (the
	// sequencer's transaction lock covers that window); from now on, not.
	overlap.Store(false)

	// The leader stops: a, still contending, takes over again.
	b.stop()
	if b.runs.Load() != 0 || b.leader.Leading() {
		t.Fatal("b still leads after it stopped")
	}
	waitFor(t, "a leads again after b stopped", func() bool { return a.runs.Load() == 1 })
	if overlap.Load() {
		t.Fatal("two leaders ran at once")
	}
}
