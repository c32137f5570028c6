package httpapi

import (
	"io"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/market"
)

// TestQuota_SignedHeadsPerParty: one party asking for signed heads without
// end is stopped with 429 after its burst, and another party is not. Before,
// any user could make the platform sign heads without limit.
func TestQuota_SignedHeadsPerParty(t *testing.T) {
	t.Parallel()
	w := mustLedgerWorld(t)
	frozen := time.Now()
	w.srv.heads.mu.Lock()
	w.srv.heads.now = func() time.Time { return frozen }
	w.srv.heads.mu.Unlock()
	got := 0
	for range headQuotaBurst + 1 {
		if got = w.do(t, req{method: "POST", path: "/v1/ledger/heads", token: w.tokReg}).Code; got == http.StatusTooManyRequests {
			break
		}
	}
	if got != http.StatusTooManyRequests {
		t.Fatalf("after %d head requests by one party: %d, want 429", headQuotaBurst+1, got)
	}
	mustProblem(t, w.do(t, req{method: "POST", path: "/v1/ledger/heads", token: w.tokReg}), http.StatusTooManyRequests, "rate_limited")
	if code := w.do(t, req{method: "POST", path: "/v1/ledger/heads", token: w.tokOp}).Code; code != http.StatusOK && code != http.StatusCreated {
		t.Errorf("another party's head request: %d, want 200 or 201", code)
	}
}

// TestQuota_RefusedFlagRaisingRequestsPerParty: a party whose orders keep
// being refused (each refusal may raise a regulator flag) is stopped with
// 429 after its burst; another party is not.
func TestQuota_RefusedFlagRaisingRequestsPerParty(t *testing.T) {
	t.Parallel()
	w := mustOrderWorld(t, false)
	buyer := w.mustParty("刷单买方", market.PartyParticipant, market.RoleBuyer)
	other := w.mustParty("另一买方", market.PartyParticipant, market.RoleBuyer)
	srv := w.api
	frozen := time.Now()
	srv.flags.mu.Lock()
	srv.flags.now = func() time.Time { return frozen }
	srv.flags.mu.Unlock()
	body := map[string]any{"quote_id": uuid.NewString(), "usage_purpose": "x"}
	got := 0
	for range flagQuotaBurst + 1 {
		if got, _ = buyer.do("POST", "/v1/orders", body); got == http.StatusTooManyRequests {
			break
		}
	}
	if got != http.StatusTooManyRequests {
		t.Fatalf("after %d refused orders by one party: %d, want 429", flagQuotaBurst+1, got)
	}
	if code, _ := other.do("POST", "/v1/orders", body); code == http.StatusTooManyRequests {
		t.Error("another party was throttled too")
	}
}

// TestQuota_DatasetScansPerParty: a rescan reads and decrypts a dataset's
// whole stored file inside the request; a party past its burst of rescans
// gets 429 rate_limited with Retry-After (market.ScanGuard, which the
// pages share), and another party does not.
func TestQuota_DatasetScansPerParty(t *testing.T) {
	t.Parallel()
	w := mustOrderWorld(t, false)
	data := csvOf([]string{"id", "region"}, 20, func(r, c int) string { return []string{strconv.Itoa(r), "610102"}[c] })
	scanOf := func(c *client) string {
		st, b := c.upload("d.csv", data)
		if st != http.StatusCreated {
			t.Fatalf("upload: %d %s", st, b)
		}
		var ds datasetBody
		mustJSONBody(t, b, &ds)
		return "/v1/datasets/" + ds.ID + "/scan"
	}
	path := scanOf(w.seller)
	for i := range market.ScanBurst {
		if st, b := w.seller.do(http.MethodPost, path, nil); st != http.StatusOK {
			t.Fatalf("scan %d of the burst: %d %s", i+1, st, b)
		}
	}
	req, err := http.NewRequest(http.MethodPost, w.srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+w.seller.token)
	resp, err := w.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests || mustAPIProblem(t, body).Code != "rate_limited" {
		t.Fatalf("a scan past the burst: %d %s, want 429 rate_limited", resp.StatusCode, body)
	}
	if secs, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil || secs < 1 {
		t.Errorf("Retry-After %q, want whole seconds", resp.Header.Get("Retry-After"))
	}
	other := w.mustParty("另一卖方", market.PartyParticipant, market.RoleSeller)
	if st, b := other.do(http.MethodPost, scanOf(other), nil); st != http.StatusOK {
		t.Errorf("another party's scan: %d %s, want 200", st, b)
	}
}
