package httpapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shujiao/shujiao/market"
)

// mustQueuedJob uploads a dataset and queues its de-identification without
// a runner, returning the job id.
func (c *client) mustQueuedJob(rows int) string {
	c.w.t.Helper()
	st, b := c.upload("people.csv", mustSynthCSV(c.w.t, rows, 11))
	if st != http.StatusCreated {
		c.w.t.Fatalf("upload: %d %s", st, b)
	}
	var ds datasetBody
	mustJSONBody(c.w.t, b, &ds)
	var job jobBody
	c.mustDo(http.StatusAccepted, http.MethodPost, "/v1/datasets/"+ds.ID+"/deidentify", map[string]any{"policy": synthPolicy}, &job)
	if job.Status != "queued" {
		c.w.t.Fatalf("new job status %s, want queued", job.Status)
	}
	return job.ID
}

// crash marks job id as running for two hours on its attempts-th attempt
// on a server that no longer exists: what a server killed in the middle
// of the job leaves (River rescues a job running longer than its timeout,
// an hour).
func (w *mkt) crash(id string, attempts int) {
	w.t.Helper()
	_, err := w.pool.Exec(context.Background(), `UPDATE jobs SET status = 'running', attempts = $2, stage = 'searching', progress = 0.4,
started_at = now() - interval '2 hours' WHERE id = $1`, id, attempts)
	if err != nil {
		w.t.Fatal(err)
	}
	_, err = w.pool.Exec(context.Background(), `UPDATE river_job SET state = 'running', attempt = $2, attempted_at = now() - interval '2 hours',
attempted_by = ARRAY['killed-server'] WHERE id = (SELECT river_job_id FROM jobs WHERE id = $1)`, id, attempts)
	if err != nil {
		w.t.Fatal(err)
	}
}

func TestJobs_ARunningJobLeftByACrashIsResumedOnRestart(t *testing.T) {
	w := mustMarket(t, marketOptions{noRunner: true})
	seller := w.mustParty("陕西数源科技", market.PartyParticipant, market.RoleSeller)
	id := seller.mustQueuedJob(400)
	w.crash(id, 1)
	var j jobBody
	seller.mustDo(http.StatusOK, http.MethodGet, "/v1/jobs/"+id, nil, &j)
	if j.Status != "running" {
		t.Fatalf("after the crash the job is %s, want running", j.Status)
	}
	w.startRunner()
	j = seller.mustJobDone(id)
	if j.Status != "succeeded" || j.Attempts != 2 || j.Result == nil || j.Result.CertificateID == "" {
		t.Errorf("resumed job %+v: want succeeded on the second attempt with a certificate", j)
	}
}

func TestJobs_ACrashedJobOutOfAttemptsIsFailedNotStuck(t *testing.T) {
	w := mustMarket(t, marketOptions{noRunner: true})
	seller := w.mustParty("陕西数源科技", market.PartyParticipant, market.RoleSeller)
	id := seller.mustQueuedJob(100)
	w.crash(id, 3)
	w.startRunner()
	j := seller.mustJobDone(id)
	if j.Status != "failed" || j.Error == "" {
		t.Errorf("job %+v: want failed with the reason", j)
	}
}

func TestJobs_AGateRefusalIsReportedWithItsReasons(t *testing.T) {
	w := mustMarket(t, marketOptions{})
	seller := w.mustParty("陕西数源科技", market.PartyParticipant, market.RoleSeller)
	st, b := seller.upload("people.csv", mustSynthCSV(t, 300, 9))
	if st != http.StatusCreated {
		t.Fatalf("upload: %d %s", st, b)
	}
	var ds datasetBody
	mustJSONBody(t, b, &ds)
	// Tianjin Art. 29: keeping the resident ID number releases an identifier.
	leaky := map[string]any{"columns": map[string]any{
		"姓名": map[string]any{"role": "identifying"}, "诊断": map[string]any{"role": "sensitive"}}, "k": 1}
	var job jobBody
	seller.mustDo(http.StatusAccepted, http.MethodPost, "/v1/datasets/"+ds.ID+"/deidentify", map[string]any{"policy": leaky}, &job)
	job = seller.mustJobDone(job.ID)
	var gate struct {
		Passed  bool `json:"passed"`
		Reasons []struct {
			Check   string `json:"check"`
			Article string `json:"article"`
		} `json:"reasons"`
	}
	mustJSONBody(t, job.Gate, &gate)
	if job.Status != "rejected" || job.Result != nil || gate.Passed || len(gate.Reasons) == 0 {
		t.Fatalf("job %+v: want rejected with the gate's reasons", job)
	}
	if gate.Reasons[0].Article == "" {
		t.Errorf("reason %+v cites no article", gate.Reasons[0])
	}
	if n := w.count(`SELECT 1 FROM certificates`); n != 0 {
		t.Errorf("%d certificates for a refused release, want none", n)
	}
}

func TestDeidentify_RefusesAPolicyThatDoesNotFitTheDataset(t *testing.T) {
	w := mustMarket(t, marketOptions{noRunner: true})
	seller := w.mustParty("陕西数源科技", market.PartyParticipant, market.RoleSeller)
	st, b := seller.upload("people.csv", mustSynthCSV(t, 50, 9))
	if st != http.StatusCreated {
		t.Fatalf("upload: %d %s", st, b)
	}
	var ds datasetBody
	mustJSONBody(t, b, &ds)
	cases := []struct {
		name string
		body map[string]any
	}{
		{"a column the dataset lacks", map[string]any{"policy": map[string]any{"columns": map[string]any{"年龄": map[string]any{"role": "quasi"}}}}},
		{"a hierarchy file on the server", map[string]any{"policy": map[string]any{"columns": map[string]any{"出生日期": map[string]any{"role": "quasi", "hierarchy": "/etc/passwd"}}}}},
		{"an unknown mode", map[string]any{"policy": synthPolicy, "mode": "everyone"}},
		{"no policy", map[string]any{"mode": "public"}},
	}
	for _, tc := range cases {
		t.Run(tc.name+" is 400", func(t *testing.T) {
			st, b := seller.do(http.MethodPost, "/v1/datasets/"+ds.ID+"/deidentify", tc.body)
			if st != http.StatusBadRequest {
				t.Errorf("status %d %s, want 400", st, b)
			}
		})
	}
	if n := w.count(`SELECT 1 FROM jobs`); n != 0 {
		t.Errorf("%d jobs queued from refused requests", n)
	}
}

func TestArtifacts_TheSellerDownloadsTheCertifiedReleaseAndATamperedFileIsCutOff(t *testing.T) {
	w := mustMarket(t, marketOptions{})
	seller := w.mustParty("陕西数源科技", market.PartyParticipant, market.RoleSeller)
	other := w.mustParty("天津数港", market.PartyParticipant, market.RoleSeller)
	_, job := seller.mustCertifiedDataset(400)
	if job.Status != "succeeded" {
		t.Fatalf("job %+v", job)
	}
	var art struct {
		SHA256 string `json:"sha256"`
	}
	seller.mustDo(http.StatusOK, http.MethodGet, "/v1/artifacts/"+job.Result.ArtifactID, nil, &art)
	st, file := seller.do(http.MethodGet, "/v1/artifacts/"+job.Result.ArtifactID+"/file", nil)
	if sum := sha256.Sum256(file); st != http.StatusOK || hex.EncodeToString(sum[:]) != art.SHA256 {
		t.Fatalf("download: %d, %d bytes hashing to %x, want %s", st, len(file), sum, art.SHA256)
	}
	if bytes.Contains(file, []byte("身份证号")) {
		t.Error("the release still has the resident ID column")
	}
	if st, _ := other.do(http.MethodGet, "/v1/artifacts/"+job.Result.ArtifactID+"/file", nil); st != http.StatusNotFound {
		t.Errorf("another seller downloading: %d, want 404", st)
	}
	path := filepath.Join(w.dataDir, "blobs", art.SHA256[:2], art.SHA256[2:4], art.SHA256)
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	raw[len(raw)-5] ^= 1
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodGet, w.srv.URL+"/v1/artifacts/"+job.Result.ArtifactID+"/file", nil)
	req.Header.Set("Authorization", "Bearer "+seller.token)
	resp, err := w.srv.Client().Do(req)
	if err == nil {
		_, err = io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	if err == nil {
		t.Error("a tampered release was served in full; want the download cut off")
	}
}

// Issue 18: a seller cancels a queued de-identification job through
// River: it never runs and reads failed, cancelled; another party cannot
// cancel it, and a job that ended cannot be cancelled.
func TestJobs_ASellerCancelsAQueuedJob(t *testing.T) {
	w := mustMarket(t, marketOptions{noRunner: true})
	seller := w.mustParty("陕西数源科技", market.PartyParticipant, market.RoleSeller)
	other := w.mustParty("北京数据交易", market.PartyParticipant, market.RoleSeller)
	regulator := w.mustParty("陕西省市场监督管理局", market.PartyRegulator, market.RoleRegulator)
	id := seller.mustQueuedJob(100)
	st, b := other.do(http.MethodPost, "/v1/jobs/"+id+"/cancel", nil)
	if p := mustAPIProblem(t, b); st != http.StatusNotFound || p.Code != "job_not_found" {
		t.Errorf("another party cancelling: %d %s, want 404 job_not_found", st, b)
	}
	// A regulator reads every job but cancels none: the route takes
	// sellers only (and market.Jobs.Cancellable refuses another party).
	regulator.mustDo(http.StatusOK, http.MethodGet, "/v1/jobs/"+id, nil, nil)
	st, b = regulator.do(http.MethodPost, "/v1/jobs/"+id+"/cancel", nil)
	if p := mustAPIProblem(t, b); st != http.StatusForbidden || p.Code != "forbidden_role" {
		t.Errorf("a regulator cancelling: %d %s, want 403 forbidden_role", st, b)
	}
	seller.mustDo(http.StatusAccepted, http.MethodPost, "/v1/jobs/"+id+"/cancel", nil, nil)
	var j jobBody
	seller.mustDo(http.StatusOK, http.MethodGet, "/v1/jobs/"+id, nil, &j)
	if j.Status != "failed" || !strings.Contains(j.Error, "cancelled") {
		t.Errorf("cancelled job %s %q, want failed, cancelled", j.Status, j.Error)
	}
	st, b = seller.do(http.MethodPost, "/v1/jobs/"+id+"/cancel", nil)
	if p := mustAPIProblem(t, b); st != http.StatusConflict || p.Code != "job_finished" {
		t.Errorf("cancelling a cancelled job: %d %s, want 409 job_finished", st, b)
	}
}
