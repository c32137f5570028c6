package market

import (
	"context"
	"fmt"

	"github.com/google/uuid"
)

// JobReader is the storage the Jobs service reads through (implemented by
// internal/postgres). Job returns an error wrapping ErrNotFound when there
// is no job id; it does not check who asks.
type JobReader interface {
	Job(ctx context.Context, id uuid.UUID) (*Job, error)
}

// Jobs is the use case of reading and cancelling a party's
// de-identification jobs: a job is visible to its own party and to
// regulators; another party is answered ErrNotFound (job_not_found), never
// ErrForbidden, so that it does not learn the job exists. It is safe for
// concurrent use.
type Jobs struct {
	store JobReader
}

// NewJobs returns the job service over store.
func NewJobs(store JobReader) *Jobs { return &Jobs{store: store} }

// Get returns job id as actor may see it. Errors: ErrNotFound when there
// is none, ErrNotFound with code job_not_found when it is another party's
// and actor is not a regulator; the storage's error otherwise.
func (s *Jobs) Get(ctx context.Context, actor Actor, id uuid.UUID) (*Job, error) {
	j, err := s.store.Job(ctx, id)
	if err == nil && !actor.CanReadParty(j.PartyID) {
		err = hidden("job", id)
	}
	if err != nil {
		return nil, fmt.Errorf("job %s: %w", id, err)
	}
	return j, nil
}

// Cancellable returns job id when actor may cancel it: a member of the
// job's own party (a regulator reads every job but cancels none), while
// the job has not ended. Errors: those of Get; ErrForbidden
// (forbidden_party) for a regulator of another party; ErrConflict
// (job_finished) for a job that already ended.
func (s *Jobs) Cancellable(ctx context.Context, actor Actor, id uuid.UUID) (*Job, error) {
	j, err := s.Get(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if err := actor.RequireOwnParty(j.PartyID); err != nil {
		return nil, err
	}
	if j.Status.Terminal() {
		return nil, Errorf(ErrConflict, "job_finished", "job %s already %s", id, j.Status)
	}
	return j, nil
}
