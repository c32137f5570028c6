package jobs

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/market"
)

func TestDeidentify_AStoppingServerHandsItsRunningJobBackToTheQueue(t *testing.T) {
	w := mustWorld(t)
	proc := &blockingProcessor{started: make(chan uuid.UUID, 1)}
	c := w.client(deps{proc: proc}, Config{Workers: 1})
	id := w.mustJob(c)
	if err := c.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	<-proc.started
	w.waitJob(id, "showed its progress", func(j *market.Job) bool {
		return j.Status == market.JobRunning && j.Stage == "searching" && j.Progress == 0.5
	})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if j := w.job(id); j.Status != market.JobQueued || j.Attempts != 0 {
		t.Fatalf("after a clean stop: %s after %d attempts, want queued with the attempt not counted", j.Status, j.Attempts)
	}
	if st, attempt := w.riverState(id); st != "available" || attempt != 0 {
		t.Fatalf("River job %s on attempt %d, want available again with the attempt not counted (snoozed)", st, attempt)
	}

	proc2 := &blockingProcessor{started: make(chan uuid.UUID, 1), finish: true}
	w.start(w.client(deps{proc: proc2}, Config{Workers: 1}))
	if got := <-proc2.started; got != id {
		t.Fatalf("the next server ran job %s, want %s", got, id)
	}
	if j := w.waitJob(id, "ended", func(j *market.Job) bool { return j.Status.Terminal() }); j.Status != market.JobRejected || j.Attempts != 1 {
		t.Errorf("the next server left the job %s after %d attempts, want rejected on its first counted attempt", j.Status, j.Attempts)
	}
}

// TestDeidentify_AnInterruptedJobLeavesNoRelease: a job whose release was
// stored when SIGTERM came is handed back to the queue and its release is
// discarded, not left for nothing to reference (before, a 113 MB file
// stayed behind after every interrupted run).
func TestDeidentify_AnInterruptedJobLeavesNoRelease(t *testing.T) {
	w := mustWorld(t)
	proc := &storingProcessor{started: make(chan uuid.UUID, 1)}
	c := w.client(deps{proc: proc}, Config{Workers: 1})
	id := w.mustJob(c)
	if err := c.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	<-proc.started
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if j := w.job(id); j.Status != market.JobQueued || j.ArtifactID != nil {
		t.Errorf("job %s with artifact %v after the interruption, want queued with none", j.Status, j.ArtifactID)
	}
	proc.mu.Lock()
	defer proc.mu.Unlock()
	if len(proc.discarded) != 1 || proc.discarded[0] != "release-of-"+id.String() {
		t.Errorf("discarded %v, want the interrupted job's release", proc.discarded)
	}
}

// TestDeidentify_AJobOfAKilledServerIsRescuedAndRun: a job left running by
// a killed server (no process will ever finish it) is taken back by
// River's rescuer once it has run longer than RescueAfter, and run again
// on its second attempt.
func TestDeidentify_AJobOfAKilledServerIsRescuedAndRun(t *testing.T) {
	w := mustWorld(t)
	queueOnly := w.client(deps{}, Config{})
	id := w.mustJob(queueOnly)
	ctx := context.Background()
	// what a server killed an hour into the job leaves behind
	if _, err := w.owner.Exec(ctx, `UPDATE river_job SET state = 'running', attempt = 1, attempted_at = now() - interval '2 hours',
attempted_by = ARRAY['killed-server'] WHERE id = (SELECT river_job_id FROM jobs WHERE id = $1)`, id); err != nil {
		t.Fatal(err)
	}
	if _, err := w.owner.Exec(ctx, `UPDATE jobs SET status = 'running', attempts = 1, stage = 'searching', progress = 0.4 WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	proc := &blockingProcessor{started: make(chan uuid.UUID, 1), finish: true}
	w.start(w.client(deps{proc: proc}, Config{RescueAfter: time.Hour}))
	select {
	case got := <-proc.started:
		if got != id {
			t.Fatalf("ran %s, want the killed server's job %s", got, id)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the killed server's job was not rescued")
	}
	if j := w.waitJob(id, "ended", func(j *market.Job) bool { return j.Status.Terminal() }); j.Status != market.JobRejected || j.Attempts != 2 {
		t.Errorf("rescued job %s after %d attempts, want rejected on the second", j.Status, j.Attempts)
	}
}

// TestDeidentify_AJobRiverGaveUpOnReadsFailed: a killed server's job out
// of attempts is discarded by River's rescuer; its owner sees it failed
// with River's reason, never running for ever.
func TestDeidentify_AJobRiverGaveUpOnReadsFailed(t *testing.T) {
	w := mustWorld(t)
	queueOnly := w.client(deps{}, Config{})
	id := w.mustJob(queueOnly)
	ctx := context.Background()
	if _, err := w.owner.Exec(ctx, `UPDATE river_job SET state = 'running', attempt = max_attempts, attempted_at = now() - interval '2 hours',
attempted_by = ARRAY['killed-server'] WHERE id = (SELECT river_job_id FROM jobs WHERE id = $1)`, id); err != nil {
		t.Fatal(err)
	}
	if _, err := w.owner.Exec(ctx, `UPDATE jobs SET status = 'running', attempts = 3 WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	w.start(w.client(deps{}, Config{RescueAfter: time.Hour}))
	j := w.waitJob(id, "failed", func(j *market.Job) bool { return j.Status == market.JobFailed })
	if j.Error == "" || j.FinishedAt == nil {
		t.Errorf("job given up on: error %q, finished %v; want River's reason and when", j.Error, j.FinishedAt)
	}
}

func TestDeidentify_ACancelledJobStopsAndReadsFailed(t *testing.T) {
	w := mustWorld(t)
	proc := &blockingProcessor{started: make(chan uuid.UUID, 1)}
	c := w.client(deps{proc: proc}, Config{Workers: 1})
	w.start(c)
	id := w.mustJob(c)
	<-proc.started
	if err := c.CancelJob(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	j := w.waitJob(id, "failed", func(j *market.Job) bool { return j.Status.Terminal() })
	if j.Status != market.JobFailed || j.Error != "cancelled" {
		t.Errorf("cancelled job %s %q, want failed, cancelled", j.Status, j.Error)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		st, _ := w.riverState(id)
		if st == "cancelled" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("River job %s, want cancelled (never run again)", st)
		}
	}
}

func TestDeidentify_OneRiverJobPerJob(t *testing.T) {
	w := mustWorld(t)
	c := w.client(deps{}, Config{})
	id := w.mustJob(c)
	var n int
	if err := w.owner.QueryRow(context.Background(), `SELECT count(*) FROM river_job WHERE kind = 'deidentify' AND args->>'job_id' = $1`, id.String()).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("%d River jobs for one job, want 1", n)
	}
	if _, err := c.river.Insert(context.Background(), DeidentifyArgs{JobID: id}, nil); err != nil {
		t.Fatal(err)
	}
	if err := w.owner.QueryRow(context.Background(), `SELECT count(*) FROM river_job WHERE kind = 'deidentify' AND args->>'job_id' = $1`, id.String()).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("inserting the same job again made %d River jobs, want 1 (unique by job)", n)
	}
}
