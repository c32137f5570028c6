package postgres

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
)

// SequencerLeaderKey is the session advisory lock that elects the one server
// (of several on one database) whose ledger sequencer runs ("SHUJIAO" 0x02).
// It is not sequencerLockKey: that transaction lock still serializes every
// integration and signature, so two sequencers that overlap for a moment
// (a leader that has not yet noticed it lost its connection) stay correct.
const SequencerLeaderKey int64 = 0x5348554A49414F02

// Leader elects one process at a time among those that run it on one
// database: the holder of a session-level advisory lock taken with
// pg_try_advisory_lock on a connection of its own (never a pooled one, whose
// session could go back to the pool with the lock held). PostgreSQL drops
// the lock with the session, so leadership moves when the leading process
// stops, dies or loses its connection. A Leader is used by one Run at a time.
type Leader struct {
	cfg     *pgx.ConnConfig
	key     int64
	every   time.Duration
	log     *slog.Logger
	name    string
	leading atomic.Bool
}

// NewLeader returns a Leader over the database cfg connects to (a copy is
// taken), on advisory lock key, that tries to take the lock and checks its
// connection every every; name says what is led, in the logs.
func NewLeader(cfg *pgx.ConnConfig, key int64, every time.Duration, name string, logger *slog.Logger) *Leader {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	c := cfg.Copy()
	if c.RuntimeParams == nil {
		c.RuntimeParams = map[string]string{}
	}
	c.RuntimeParams["application_name"] = "shujiao-leader"
	return &Leader{cfg: c, key: key, every: every, log: logger, name: name}
}

// Leading reports whether this process holds the lock now.
func (l *Leader) Leading() bool { return l.leading.Load() }

// Run tries to take the lock every l.every until ctx ends; while this
// process holds it, lead runs with a context that ends when ctx ends or the
// lock's connection stops answering. When lead returns, the lock is let go
// and taken again at the next try (so lead may run several times, never two
// at once in one process). Run returns when ctx ends, after lead returned
// and the lock was released.
func (l *Leader) Run(ctx context.Context, lead func(ctx context.Context)) {
	for {
		if err := l.term(ctx, lead); err != nil && ctx.Err() == nil {
			l.log.Warn("leader: cannot take part in the election; retrying", "role", l.name, "error", err.Error())
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(l.every):
		}
	}
}

// term is one attempt: connect, try the lock, and lead while it is held.
func (l *Leader) term(ctx context.Context, lead func(ctx context.Context)) error {
	conn, err := pgx.ConnectConfig(ctx, l.cfg)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer func() {
		closeCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = conn.Close(closeCtx) // ends the session: PostgreSQL drops the lock
	}()
	var got bool
	if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, l.key).Scan(&got); err != nil {
		return fmt.Errorf("try the lock: %w", err)
	}
	if !got {
		return nil // another process leads
	}
	l.leading.Store(true)
	defer l.leading.Store(false)
	l.log.Info("leader: this server now runs it (it holds the advisory lock)", "role", l.name)
	termCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		lead(termCtx)
	}()
	tick := time.NewTicker(l.every)
	defer tick.Stop()
	for {
		select {
		case <-done:
			cancel()
			l.log.Info("leader: stopped running it and let the lock go", "role", l.name)
			return nil
		case <-tick.C:
			pingCtx, stop := context.WithTimeout(termCtx, l.every)
			err := conn.Ping(pingCtx)
			stop()
			if err != nil && ctx.Err() == nil {
				// The session may be gone, and the lock with it: another
				// server may lead by now. Stop leading at once.
				cancel()
				<-done
				l.log.Error("leader: lost the connection that holds the lock; stopped running it, will try again",
					"role", l.name, "error", err.Error())
				return nil
			}
		}
	}
}
