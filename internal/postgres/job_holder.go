package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
)

// workerLockSpace is the first key of the session advisory locks that mark
// job workers alive ("SJW"); the second is hashtext(worker id).
const workerLockSpace int32 = 0x534A57

// HoldWorker marks worker alive until release is called or its process
// dies: a session advisory lock on a connection of its own, which
// PostgreSQL drops with the session. RecoverJobs takes back at once the
// running jobs of a worker that holds no such lock (its server was killed)
// instead of waiting for their leases to run out. It returns an error when
// the store is not over a pool, or the wrapped database error.
func (s *JobStore) HoldWorker(ctx context.Context, worker uuid.UUID) (release func(), err error) {
	pool, ok := s.db.(*pgxpool.Pool)
	if !ok {
		return nil, errors.New("hold job worker: the job store is not over a pool")
	}
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("hold job worker: %w", err)
	}
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1, hashtext($2))`, workerLockSpace, worker.String()); err != nil {
		conn.Release()
		return nil, fmt.Errorf("hold job worker: %w", err)
	}
	return func() {
		_, _ = conn.Exec(context.Background(), `SELECT pg_advisory_unlock($1, hashtext($2))`, workerLockSpace, worker.String())
		conn.Release()
	}, nil
}

// workerGone is true for a running job whose worker holds no HoldWorker
// lock in this database.
const workerGone = `NOT EXISTS (
    SELECT 1 FROM pg_locks l
    WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
      AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
      AND l.classid = 5458519::oid AND l.objid = hashtext(jobs.worker_id::text)::oid)` // 5458519 = workerLockSpace
