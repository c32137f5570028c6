package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/market"
)

// oneJob is a job queue holding one job of another party.
type oneJob struct{ job *market.Job }

func (o oneJob) CreateJob(context.Context, *market.Job) error { return nil }

func (o oneJob) Job(_ context.Context, id uuid.UUID) (*market.Job, error) {
	if id != o.job.ID {
		return nil, market.Errorf(market.ErrNotFound, "job_not_found", "no job %s", id)
	}
	j := *o.job
	return &j, nil
}

// TestJobPages_AnotherPartysJobIsNotFound: the job page and the choice of
// an alternative read the job through market.Jobs, which answers a seller
// of another party as if there were no such job (404, not 403).
func TestJobPages_AnotherPartysJobIsNotFound(t *testing.T) {
	j := &market.Job{ID: market.NewID(), PartyID: market.PartyID(market.NewID()), Status: market.JobSucceeded}
	h, err := New(Deps{Stores: market.Stores{Jobs: oneJob{job: j}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []*http.Request{
		httptest.NewRequest("GET", "/ui/seller/jobs/"+j.ID.String()+"?lang=en", nil),
		httptest.NewRequest("POST", "/ui/seller/jobs/"+j.ID.String()+"/alternatives/1?lang=en",
			strings.NewReader("csrf_token=tok")),
	} {
		if r.Method == "POST" {
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		res, body := serve(h, r, market.RoleSeller)
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("%s %s by another party's seller: status %d, want 404\n%s", r.Method, r.URL.Path, res.StatusCode, clipBody(body))
		}
	}
}
