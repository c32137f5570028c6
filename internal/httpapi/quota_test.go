package httpapi

import (
	"net/http"
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
