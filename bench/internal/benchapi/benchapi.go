// Package benchapi holds what the benchmark programs (bench/loadbench,
// bench/sealbench) share to talk to a `shujiao serve` under test.
package benchapi

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime/pprof"
	"time"
)

// Send sends req with token as its bearer token and decodes a JSON answer
// into out (nil: the body is read and dropped). A status of 300 or more is
// an error naming the method, the path, the status and the body.
func Send(client *http.Client, req *http.Request, token string, out any) error {
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode >= 300 {
		return fmt.Errorf("%s %s: %d %s", req.Method, req.URL.Path, resp.StatusCode, b)
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}

// CallFunc sends one JSON request to the server under test as one user
// and decodes the answer into out (a benchmark's own client).
type CallFunc func(ctx context.Context, method, path string, body, out any) error

// releasePolicy is the policy the benchmarks certify their releases with:
// the README's walkthrough policy on a `shujiao gen` table (k = 20,
// distinct 2-diversity on 诊断, identifiers dropped).
var releasePolicy = map[string]any{"columns": map[string]any{
	"身份证号": map[string]any{"role": "identifying", "action": "drop"}, "姓名": map[string]any{"role": "identifying", "action": "drop"},
	"手机号": map[string]any{"role": "identifying", "action": "drop"}, "出生日期": map[string]any{"role": "quasi", "hierarchy": "date"},
	"性别": map[string]any{"role": "quasi"}, "行政区划": map[string]any{"role": "quasi", "hierarchy": "division"},
	"职业": map[string]any{"role": "insensitive"}, "学历": map[string]any{"role": "insensitive"}, "收入": map[string]any{"role": "insensitive"},
	"诊断": map[string]any{"role": "sensitive"}}, "k": 20, "l": "distinct:2", "suppression": 0.05}

// Certify de-identifies uploaded dataset id for public release through
// call, waits for the job (polling every poll, for at most wait) and
// returns the certificate's ID.
func Certify(ctx context.Context, call CallFunc, id string, wait, poll time.Duration) (string, error) {
	var job struct {
		ID     string
		Status string
		Error  string
		Result *struct {
			CertificateID string `json:"certificate_id"`
		}
	}
	if err := call(ctx, http.MethodPost, "/v1/datasets/"+id+"/deidentify", map[string]any{"policy": releasePolicy, "mode": "public"}, &job); err != nil {
		return "", err
	}
	for deadline := time.Now().Add(wait); job.Status == "queued" || job.Status == "running"; time.Sleep(poll) {
		if time.Now().After(deadline) {
			return "", fmt.Errorf("de-identification job %s still %s", job.ID, job.Status)
		}
		if err := call(ctx, http.MethodGet, "/v1/jobs/"+job.ID, nil, &job); err != nil {
			return "", err
		}
	}
	if job.Result == nil {
		return "", fmt.Errorf("de-identification job %s %s: %s", job.ID, job.Status, job.Error)
	}
	return job.Result.CertificateID, nil
}

// StartCPUProfile starts a CPU profile written to path ("": none); the
// returned function stops it.
func StartCPUProfile(path string) (func(), error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
