package market

import (
	"context"
	"testing"

	"github.com/google/uuid"
)

// The party checks of the Jobs service over a fake store: another party's
// job is not found, a regulator reads every job but cancels none, an ended
// job cannot be cancelled.

type fakeJobReader map[uuid.UUID]*Job

func (f fakeJobReader) Job(_ context.Context, id uuid.UUID) (*Job, error) {
	if j, ok := f[id]; ok {
		return j, nil
	}
	return nil, Errorf(ErrNotFound, "job_not_found", "no job %s", id)
}

func TestJobs_AnotherPartysJobIsNotFoundAndOnlyItsOwnPartyCancels(t *testing.T) {
	owner := Actor{UserID: UserID(NewID()), PartyID: PartyID(NewID()), Roles: []Role{RoleSeller}}
	other := Actor{UserID: UserID(NewID()), PartyID: PartyID(NewID()), Roles: []Role{RoleSeller, RoleBuyer}}
	regulator := Actor{UserID: UserID(NewID()), PartyID: PartyID(NewID()), Roles: []Role{RoleRegulator}}
	running := &Job{ID: NewID(), PartyID: owner.PartyID, Status: JobRunning}
	done := &Job{ID: NewID(), PartyID: owner.PartyID, Status: JobSucceeded}
	svc := NewJobs(fakeJobReader{running.ID: running, done.ID: done})
	ctx := context.Background()

	t.Run("another party's seller gets job_not_found", func(t *testing.T) {
		_, err := svc.Get(ctx, other, running.ID)
		mustCode(t, err, ErrNotFound, "job_not_found")
		_, err = svc.Cancellable(ctx, other, running.ID)
		mustCode(t, err, ErrNotFound, "job_not_found")
	})
	t.Run("the owner and a regulator read it", func(t *testing.T) {
		for _, a := range []Actor{owner, regulator} {
			j, err := svc.Get(ctx, a, running.ID)
			if err != nil || j.ID != running.ID {
				t.Fatalf("Get as %v = %v, %v", a.Roles, j, err)
			}
		}
	})
	t.Run("a regulator of another party may not cancel", func(t *testing.T) {
		_, err := svc.Cancellable(ctx, regulator, running.ID)
		mustCode(t, err, ErrForbidden, "forbidden_party")
	})
	t.Run("an ended job is job_finished", func(t *testing.T) {
		_, err := svc.Cancellable(ctx, owner, done.ID)
		mustCode(t, err, ErrConflict, "job_finished")
	})
	t.Run("the owner cancels a running job", func(t *testing.T) {
		if j, err := svc.Cancellable(ctx, owner, running.ID); err != nil || j.ID != running.ID {
			t.Fatalf("Cancellable = %v, %v", j, err)
		}
	})
	t.Run("an unknown job is not found", func(t *testing.T) {
		_, err := svc.Get(ctx, owner, NewID())
		mustCode(t, err, ErrNotFound, "job_not_found")
	})
}
