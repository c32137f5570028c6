package httpapi

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/shujiao/shujiao/internal/ledger"
)

// TestPublicLedger_AnAuditorWithoutAnAccountChecksTheLog: anyone fetches the
// signed head, the public facts of the entries, an inclusion proof by leaf
// hash and a consistency proof, and checks them all offline; the public
// entries carry no party, subject or payload. Before, every ledger route
// answered 401 to an outside auditor.
func TestPublicLedger_AnAuditorWithoutAnAccountChecksTheLog(t *testing.T) {
	t.Parallel()
	w := mustLedgerWorld(t)
	for i := range 2 {
		body := fmt.Sprintf(`{"amount": "%d.00", "reference": "PUB-%d"}`, 10+i, i)
		mustJSON(t, w.do(t, req{method: "POST", path: "/v1/accounts/deposits", token: w.tokBuyer, body: body}), http.StatusCreated, nil)
	}
	var first ledger.Head
	mustJSON(t, w.do(t, req{method: "POST", path: "/v1/ledger/heads", token: w.tokReg}), http.StatusCreated, &first)
	for i := range 3 {
		body := fmt.Sprintf(`{"amount": "%d.00", "reference": "PUB-B-%d"}`, 20+i, i)
		mustJSON(t, w.do(t, req{method: "POST", path: "/v1/accounts/deposits", token: w.tokBuyer, body: body}), http.StatusCreated, nil)
	}
	mustJSON(t, w.do(t, req{method: "POST", path: "/v1/ledger/heads", token: w.tokReg}), http.StatusCreated, nil)

	resp := w.do(t, req{method: "GET", path: "/v1/ledger/sth"})
	var sth ledger.Head
	mustJSON(t, resp, http.StatusOK, &sth)
	if err := ledger.VerifyHead(w.key.Public(), sth); err != nil {
		t.Fatalf("the public head does not verify: %v", err)
	}
	var wire map[string]any
	_ = json.Unmarshal(resp.Body.Bytes(), &wire)
	if line := "signed_at: " + wire["signed_at"].(string) + "\n"; !strings.Contains(string(sth.Message()), line) {
		t.Errorf("signed_at %q in JSON is not the signed text's:\n%s", wire["signed_at"], sth.Message())
	}

	resp = w.do(t, req{method: "GET", path: fmt.Sprintf("/v1/ledger/entries?start=0&end=%d", sth.Size+5)})
	var page struct{ Entries []ledger.PublicEntry }
	mustJSON(t, resp, http.StatusOK, &page)
	if uint64(len(page.Entries)) != sth.Size {
		t.Fatalf("%d public entries, want the %d the head covers", len(page.Entries), sth.Size)
	}
	for _, private := range []string{"party_id", "subject_id", "payload", "PUB-", w.buyer.ID.String()} {
		if strings.Contains(resp.Body.String(), private) {
			t.Errorf("the public entries show %q: %s", private, resp.Body.String())
		}
	}

	target := page.Entries[3]
	var proof struct {
		LeafIndex uint64   `json:"leaf_index"`
		AuditPath [][]byte `json:"audit_path"`
	}
	q := fmt.Sprintf("/v1/ledger/proof-by-hash?hash=%s&tree_size=%d", b64url(target.LeafHash), sth.Size)
	mustJSON(t, w.do(t, req{method: "GET", path: q}), http.StatusOK, &proof)
	if err := ledger.VerifyInclusion(proof.LeafIndex, sth.Size, target.LeafHash, proof.AuditPath, sth.Root); proof.LeafIndex != target.LeafIndex || err != nil {
		t.Errorf("inclusion proof of leaf %d: index %d, %v", target.LeafIndex, proof.LeafIndex, err)
	}

	var cons struct{ Consistency [][]byte }
	mustJSON(t, w.do(t, req{method: "GET", path: fmt.Sprintf("/v1/ledger/sth-consistency?first=%d&second=%d", first.Size, sth.Size)}), http.StatusOK, &cons)
	if err := ledger.VerifyConsistency(first.Size, sth.Size, cons.Consistency, first.Root, sth.Root); err != nil {
		t.Errorf("consistency %d→%d: %v", first.Size, sth.Size, err)
	}

	for _, tc := range []struct{ name, path, code, field string }{
		{"a consistency past the signed head", fmt.Sprintf("/v1/ledger/sth-consistency?first=1&second=%d", sth.Size+1), "invalid_tree_size", "second"},
		{"a first that is not a number", "/v1/ledger/sth-consistency?first=abc&second=2", "invalid_parameter", "first"},
		{"a tree size that overflows", "/v1/ledger/proof-by-hash?hash=" + b64url(target.LeafHash) + "&tree_size=99999999999999999999999", "invalid_parameter", "tree_size"},
		{"a hash that is not 32 bytes", "/v1/ledger/proof-by-hash?hash=AAAA&tree_size=2", "invalid_leaf_hash", "hash"},
		{"entries with end before start", "/v1/ledger/entries?start=3&end=1", "invalid_range", "start"},
	} {
		t.Run(tc.name+" is a 400 naming "+tc.field, func(t *testing.T) {
			p := mustProblem(t, w.do(t, req{method: "GET", path: tc.path}), http.StatusBadRequest, tc.code)
			if p.Field != tc.field {
				t.Errorf("field = %q, want %q", p.Field, tc.field)
			}
		})
	}
	t.Run("the entries without start and end still need an account", func(t *testing.T) {
		mustProblem(t, w.do(t, req{method: "GET", path: "/v1/ledger/entries"}), http.StatusUnauthorized, "unauthenticated")
	})
	t.Run("a client past its rate gets 429 with Retry-After", func(t *testing.T) {
		frozen := time.Now()
		w.srv.public.mu.Lock()
		w.srv.public.now = func() time.Time { return frozen }
		w.srv.public.mu.Unlock()
		var last *http.Response
		for range defaultPublicBurst + 1 {
			rec := w.do(t, req{method: "GET", path: "/v1/ledger/sth"})
			last = rec.Result()
			if rec.Code == http.StatusTooManyRequests {
				mustProblem(t, rec, http.StatusTooManyRequests, "rate_limited")
				break
			}
		}
		if last.StatusCode != http.StatusTooManyRequests || last.Header.Get("Retry-After") == "" {
			t.Errorf("after %d requests at one instant: status %d, Retry-After %q", defaultPublicBurst+1, last.StatusCode, last.Header.Get("Retry-After"))
		}
	})
}

// b64url is standard base64 escaped for a query string.
func b64url(b []byte) string { return url.QueryEscape(base64.StdEncoding.EncodeToString(b)) }
