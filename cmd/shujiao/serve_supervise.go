package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/shujiao/shujiao/internal/pglocal"
)

// clusterRestarts is how many times in a row serve tries to bring a dead
// private PostgreSQL back before it gives up and exits non-zero (so that a
// supervisor restarts serve).
const clusterRestarts = 3

// superviseCluster watches the private cluster serve started: when
// PostgreSQL exits under it (killed, crashed), it restarts the server
// (which replaces the stale postmaster.pid and recovers; the pools
// reconnect by themselves, /readyz answers 503 meanwhile). When the server
// does not come back after clusterRestarts tries, it calls fail with the
// reason. It returns when ctx ends.
func superviseCluster(ctx context.Context, cluster *pglocal.Cluster, log *slog.Logger, fail func(error)) {
	if cluster == nil || !cluster.Owned() {
		return // DATABASE_URL, or another process's cluster: /readyz reports it
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-cluster.Exited():
		}
		if ctx.Err() != nil {
			return // serve is stopping it
		}
		log.Error("database: the private PostgreSQL exited under serve; restarting it", "data_dir", cluster.DataDir())
		var err error
		for try := 1; try <= clusterRestarts; try++ {
			start := time.Now()
			if err = cluster.Restart(ctx); err == nil {
				log.Info("database: the private PostgreSQL is back", "try", try, "took", time.Since(start).Round(time.Millisecond).String())
				break
			}
			log.Error("database: restart the private PostgreSQL", "try", try, "error", err.Error())
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Duration(try) * time.Second):
			}
		}
		if err != nil {
			fail(fmt.Errorf("serve: the private PostgreSQL died and did not restart after %d tries: %w", clusterRestarts, err))
			return
		}
	}
}
