package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/shujiao/shujiao/internal/httpapi"
	"github.com/shujiao/shujiao/internal/postgres"
)

// replicaEnv names the connection string of a PostgreSQL streaming replica
// of DATABASE_URL's database. When it is set, serve answers the read-only
// catalog routes (httpapi.ReplicaServices) from it. Its user needs only
// SELECT; a role with default_transaction_read_only = on (what a hot
// standby is anyway) makes any write through it fail.
const replicaEnv = "DATABASE_REPLICA_URL"

// openReplica opens the replica's pool, or returns nil when replicaEnv is
// unset.
func openReplica(ctx context.Context, env *cliEnv, log *slog.Logger) (*pgxpool.Pool, error) {
	url := env.getenv(replicaEnv)
	if url == "" {
		return nil, nil
	}
	if env.getenv("DATABASE_URL") == "" {
		return nil, usageErrorf("serve: %s is set without DATABASE_URL: a replica replicates a primary of your own, not the private PostgreSQL", replicaEnv)
	}
	pool, err := postgres.Open(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", replicaEnv, err)
	}
	log.Info("database: read-only catalog routes use the replica in " + replicaEnv)
	return pool, nil
}

// replicaServices are the services of the read-only catalog routes over
// the replica's pool.
func replicaServices(pool *pgxpool.Pool) (*httpapi.ReplicaServices, error) {
	gov, err := newGovDataOn(pool)
	if err != nil {
		return nil, err
	}
	return &httpapi.ReplicaServices{Catalog: postgres.NewCatalogStore(pool), GovData: gov}, nil
}
