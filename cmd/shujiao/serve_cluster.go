package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/shujiao/shujiao/internal/pglocal"
)

// serveOwnsCluster refuses a serve without DATABASE_URL that would join the
// private PostgreSQL another shujiao process started: serve without
// DATABASE_URL is one server, whose database lives and dies with it (when
// it stops, it stops its PostgreSQL, and whoever else is connected loses
// the database). Several servers share a PostgreSQL of their own, each
// given its DATABASE_URL (docs/deployment.md).
func serveOwnsCluster(cluster *pglocal.Cluster, log *slog.Logger) error {
	if cluster == nil {
		return nil // DATABASE_URL
	}
	if !cluster.Owned() {
		return inputError(fmt.Errorf("serve: another shujiao process already runs the private PostgreSQL under %s; "+
			"serve without DATABASE_URL is one server, and its PostgreSQL stops with it: stop the other process, "+
			"or run every server with DATABASE_URL set to one PostgreSQL server of your own (docs/deployment.md)", cluster.DataDir()))
	}
	log.Info("database: this serve owns the private PostgreSQL and stops it when it stops; "+
		"any other process connected to it (psql, a second serve given its URL) then loses its database", "socket_dir", cluster.SocketDir())
	return nil
}

// dbWatchEvery is how often serve checks that its database answers.
const dbWatchEvery = 5 * time.Second

// watchDatabase logs once when the database stops answering and once when
// it answers again (meanwhile /readyz answers 503), until ctx ends.
func watchDatabase(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger) {
	up := true
	tick := time.NewTicker(dbWatchEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		err := pool.Ping(pctx)
		cancel()
		switch {
		case ctx.Err() != nil:
			return
		case err != nil && up:
			up = false
			log.Error("database: the database does not answer; /readyz answers 503 until it does, requests that need it fail "+
				"(with DATABASE_URL pointing at the private PostgreSQL of another serve: that serve stopped, and its PostgreSQL with it)",
				"error", err.Error())
		case err == nil && !up:
			up = true
			log.Info("database: the database answers again")
		}
	}
}
