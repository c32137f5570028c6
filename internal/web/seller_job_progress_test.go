package web

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/market"
)

// oneJob is a job queue holding one running job.
type oneJob struct{ j *market.Job }

func (q oneJob) CreateJob(context.Context, *market.Job) error { return nil }
func (q oneJob) Job(_ context.Context, _ market.Actor, id uuid.UUID) (*market.Job, error) {
	if id != q.j.ID {
		return nil, market.Errorf(market.ErrNotFound, "job_not_found", "no job %s", id)
	}
	return q.j, nil
}

// fixedProgress reports one progress for every job.
type fixedProgress struct{ p market.JobProgress }

func (f fixedProgress) SaveJobProgress(context.Context, uuid.UUID, market.JobProgress) error {
	return nil
}
func (f fixedProgress) JobProgress(context.Context, uuid.UUID) (*market.JobProgress, error) {
	return &f.p, nil
}

func TestJobPage_ShowsThePhaseFractionAndRowsReadOfARunningJob(t *testing.T) {
	j := &market.Job{ID: market.NewID(), Status: market.JobRunning, Stage: "searching", Progress: 0.41, Mode: market.ModePublic,
		Policy: []byte(`{}`), CreatedAt: time.Now()}
	h, err := New(Deps{Stores: market.Stores{Jobs: oneJob{j}, JobProgress: fixedProgress{market.JobProgress{
		Phase: market.PhaseSearch, Fraction: 0.42, RowsRead: 5000, RowsTotal: 5000, UpdatedAt: time.Now()}}}})
	if err != nil {
		t.Fatal(err)
	}
	for lang, want := range map[string][]string{
		"zh": {"当前环节", "搜索最优泛化 · 42.0%", "5000 / 5000"},
		"en": {"Phase", "searching for the optimal generalization · 42.0%", "Rows read"},
	} {
		res, body := serve(h, httptest.NewRequest("GET", "/ui/seller/jobs/"+j.ID.String()+"?lang="+lang, nil), market.RoleSeller)
		if res.StatusCode != 200 {
			t.Fatalf("%s: status %d: %.300s", lang, res.StatusCode, body)
		}
		for _, w := range want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: the page does not show %q", lang, w)
			}
		}
	}
}
