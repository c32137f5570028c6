package httpapi

import (
	"net/http"
	"testing"
	"time"
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
