package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/shujiao/shujiao/internal/postgres"
)

// leaderEvery is how often a server that does not run the ledger sequencer
// tries to take it over, and how often the one that runs it checks the
// connection that holds its lock: leadership moves within about this long
// after the leading server stops or loses its database connection.
const leaderEvery = 2 * time.Second

// runSequencerAsLeader runs the ledger sequencer's loop (run) in this
// server only while it is the leader among the servers on pool's database
// (postgres.Leader: a session advisory lock on a connection of its own),
// until ctx ends. Every server still appends entries, and signs a head on
// demand (POST /v1/ledger/heads, before a proof): those take the
// sequencer's transaction lock, so they are safe from any server.
func runSequencerAsLeader(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger, run func(ctx context.Context)) {
	l := postgres.NewLeader(pool.Config().ConnConfig, postgres.SequencerLeaderKey, leaderEvery, "ledger sequencer", log)
	l.Run(ctx, run)
}
