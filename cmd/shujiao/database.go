package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/shujiao/shujiao/internal/pglocal"
	"github.com/shujiao/shujiao/internal/postgres"
)

// openDatabase opens the database every command that needs one uses:
// DATABASE_URL when it is set, else the private PostgreSQL cluster under
// dataDir (started, after initdb on first use, or joined when another
// shujiao process runs it). cleanup closes the pool and stops the cluster
// if this call started it; call it on every path, exactly once.
// Without PostgreSQL binaries it returns an exit-2 error naming what to
// install.
func openDatabase(ctx context.Context, env *cliEnv, dataDir string) (*pgxpool.Pool, func(), error) {
	pool, _, cleanup, err := openDatabaseCluster(ctx, env, dataDir)
	return pool, cleanup, err
}

// openDatabaseCluster is openDatabase, also returning the private cluster
// (nil with DATABASE_URL) for serve to watch.
func openDatabaseCluster(ctx context.Context, env *cliEnv, dataDir string) (*pgxpool.Pool, *pglocal.Cluster, func(), error) {
	log := cliLogger(env)
	if url := env.getenv("DATABASE_URL"); url != "" {
		pool, err := postgres.Open(ctx, url)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("DATABASE_URL: %w", err)
		}
		log.Info("database: using DATABASE_URL")
		return pool, nil, pool.Close, nil
	}
	cluster, err := pglocal.Start(ctx, dataDir, pglocal.Options{Logger: log})
	if errors.Is(err, pglocal.ErrNoBinaries) {
		return nil, nil, nil, inputError(fmt.Errorf("%w (or set DATABASE_URL to a PostgreSQL server)", err))
	}
	if err != nil {
		return nil, nil, nil, fmt.Errorf("start the private PostgreSQL under %s: %w", dataDir, err)
	}
	stop := func() {
		if cluster.Owned() {
			log.Info("database: stopping the private PostgreSQL this process started; any other process still connected to it loses its database now",
				"data_dir", cluster.DataDir())
		}
		if err := cluster.Stop(); err != nil {
			log.Error("database: stop the private PostgreSQL", "error", err.Error())
		}
	}
	if cluster.Owned() {
		log.Info("database: started a private PostgreSQL (no DATABASE_URL)", "data_dir", cluster.DataDir(), "socket_dir", cluster.SocketDir())
	} else {
		log.Info("database: joined the private PostgreSQL another shujiao process runs", "data_dir", cluster.DataDir())
	}
	pool, err := postgres.Open(ctx, cluster.URL("postgres"))
	if err != nil {
		stop()
		return nil, nil, nil, err
	}
	return pool, cluster, func() { pool.Close(); stop() }, nil
}

// cliLogger logs as text to the command's stderr.
func cliLogger(env *cliEnv) *slog.Logger {
	return slog.New(slog.NewTextHandler(env.stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

// envOr returns the environment variable name, or def when it is unset.
func envOr(env *cliEnv, name, def string) string {
	if v := env.getenv(name); v != "" {
		return v
	}
	return def
}
