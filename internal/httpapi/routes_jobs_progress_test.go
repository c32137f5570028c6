package httpapi

import (
	"net/http"
	"testing"
	"time"

	"github.com/shujiao/shujiao/market"
)

func TestJobs_ProgressShowsThePhaseFractionAndRowsTheWorkerReported(t *testing.T) {
	w := mustMarket(t, marketOptions{})
	seller := w.mustParty("陕西数源科技", market.PartyParticipant, market.RoleSeller)
	other := w.mustParty("北京买方科技", market.PartyParticipant, market.RoleSeller)
	_, job := seller.mustCertifiedDataset(1200)
	if job.Status != "succeeded" {
		t.Fatalf("job %s: %s", job.Status, job.Error)
	}
	var got struct {
		Progress float64 `json:"progress"`
		Detail   *struct {
			Phase     string    `json:"phase"`
			Fraction  float64   `json:"fraction"`
			RowsRead  int64     `json:"rows_read"`
			RowsTotal int64     `json:"rows_total"`
			UpdatedAt time.Time `json:"updated_at"`
		} `json:"progress_detail"`
	}
	seller.mustDo(http.StatusOK, http.MethodGet, "/v1/jobs/"+job.ID, nil, &got)
	if got.Detail == nil {
		t.Fatal("the finished job has no progress_detail")
	}
	if d := got.Detail; d.Phase != "write" || d.Fraction != 1 || d.RowsRead != 1200 || d.RowsTotal != 1200 || d.UpdatedAt.IsZero() {
		t.Errorf("progress_detail %+v, want the write phase done with 1200 of 1200 rows read", *d)
	}
	if got.Progress != 1 {
		t.Errorf("progress %v, want 1 (the key is kept)", got.Progress)
	}
	// another party sees neither the job nor its progress
	req, _ := http.NewRequest(http.MethodGet, w.srv.URL+"/v1/jobs/"+job.ID, nil)
	if st, b := other.send(req); st != http.StatusNotFound {
		t.Errorf("another seller: %d %s, want 404", st, b)
	}
}
