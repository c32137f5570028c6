package web

import (
	"context"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/market"
)

// fixedProgress reports one progress for every job.
type fixedProgress struct{ p market.JobProgress }

func (f fixedProgress) SaveJobProgress(context.Context, uuid.UUID, market.JobProgress) error {
	return nil
}
func (f fixedProgress) JobProgress(context.Context, uuid.UUID) (*market.JobProgress, error) {
	return &f.p, nil
}

func TestJobPage_ShowsThePhaseFractionAndRowsReadOfARunningJob(t *testing.T) {
	j := &market.Job{ID: market.NewID(), PartyID: market.PartyID(market.NewID()), Status: market.JobRunning, Stage: "searching", Progress: 0.41, Mode: market.ModePublic,
		Policy: []byte(`{}`), CreatedAt: time.Now()}
	h, err := New(Deps{Stores: market.Stores{Jobs: oneJob{job: j}, JobProgress: fixedProgress{market.JobProgress{
		Phase: market.PhaseSearch, Fraction: 0.42, RowsRead: 5000, RowsTotal: 5000, UpdatedAt: time.Now()}}}})
	if err != nil {
		t.Fatal(err)
	}
	for lang, want := range map[string][]string{
		"zh": {"当前环节", "搜索最优泛化 · 42.0%", "5000 / 5000"},
		"en": {"Phase", "searching for the optimal generalization · 42.0%", "Rows read"},
	} {
		// the job's own seller: market.Jobs shows a job to its party only
		r := httptest.NewRequest("GET", "/ui/seller/jobs/"+j.ID.String()+"?lang="+lang, nil)
		r = r.WithContext(market.ContextWithActor(r.Context(), market.Actor{PartyID: j.PartyID, Roles: []market.Role{market.RoleSeller}, CSRFToken: "tok"}))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		res := w.Result()
		b, _ := io.ReadAll(res.Body)
		body := string(b)
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
