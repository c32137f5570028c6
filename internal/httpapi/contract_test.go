package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	legacyrouter "github.com/getkin/kin-openapi/routers/legacy"
)

// The contract: every JSON answer the tests receive is validated against
// api/openapi.yaml (status, content type and body schema), so that the
// server and the spec cannot drift apart.

var contract struct {
	once   sync.Once
	router routers.Router
	err    error
}

func contractRouter() (routers.Router, error) {
	contract.once.Do(func() {
		// IDs are UUIDv7: a "" or any other string where the spec says uuid is a drift.
		openapi3.DefineStringFormatValidator("uuid", openapi3.NewRegexpFormatValidator(openapi3.FormatOfStringForUUIDOfRFC9562))
		doc, err := openapi3.NewLoader().LoadFromFile(specPath)
		if err != nil {
			contract.err = err
			return
		}
		doc.Servers = nil // match paths on any host (the tests' httptest servers)
		contract.router, contract.err = legacyrouter.NewRouter(doc)
	})
	return contract.router, contract.err
}

// middlewareStatus are the statuses any route may answer from the
// middleware (a body too large or not JSON, an internal error): the spec
// documents them once, on the Problem schema, not per operation.
var middlewareStatus = map[int]bool{http.StatusRequestEntityTooLarge: true, http.StatusUnsupportedMediaType: true,
	http.StatusInternalServerError: true, http.StatusServiceUnavailable: true}

// guardAnswer reports whether a response is the input guard's 400
// (invalid_text: a NUL or invalid UTF-8 in the path, query or body), which
// any route may answer before its handler runs; the spec documents it once,
// on the Problem schema.
func guardAnswer(status int, body []byte) bool {
	if status != http.StatusBadRequest {
		return false
	}
	var p struct {
		Code string `json:"code"`
	}
	return json.Unmarshal(body, &p) == nil && p.Code == "invalid_text"
}

// checkContract validates one JSON response to req (a route of /v1)
// against the spec and reports a mismatch as a test error.
func checkContract(tb testing.TB, req *http.Request, status int, header http.Header, body []byte) {
	tb.Helper()
	ct := header.Get("Content-Type")
	if !strings.HasPrefix(req.URL.Path, "/v1/") || !(strings.HasPrefix(ct, "application/json") || strings.HasPrefix(ct, problemContentType)) {
		return
	}
	router, err := contractRouter()
	if err != nil {
		tb.Fatalf("load %s: %v", specPath, err)
	}
	r := req.Clone(context.Background())
	r.Body = http.NoBody
	route, params, err := router.FindRoute(r)
	if err != nil {
		// an unknown route (404, 405) or a route of the tests themselves;
		// TestOpenAPI_MatchesRouter keeps every served route in the spec
		return
	}
	in := &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: status, Header: header,
		Body: io.NopCloser(bytes.NewReader(body)), Options: &openapi3filter.Options{IncludeResponseStatus: !middlewareStatus[status] && !guardAnswer(status, body), MultiError: true}}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		tb.Errorf("%s %s: the %d answer does not match %s: %v\nbody: %.600s", req.Method, req.URL.Path, status, specPath, err, body)
	}
}

// recordTB records Errorf calls of checkContract.
type recordTB struct {
	testing.TB
	errs []string
}

func (r *recordTB) Helper() {}
func (r *recordTB) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

// The check itself catches the drifts the issue found: "" for a uuid
// field, null where the spec has no nullable, and a status the operation
// does not document.
func TestContract_CatchesDrifts(t *testing.T) {
	t.Parallel()
	req := httptestRequest(t, http.MethodGet, "/v1/platform/pgp-key")
	h := http.Header{"Content-Type": {"application/json"}}
	session := httptestRequest(t, http.MethodPost, "/v1/sessions")
	sessionBody := func(user string) []byte {
		return []byte(`{"user_id":"` + user + `","party_id":"0192f0c2-0000-7000-8000-000000000002","roles":["buyer"],` +
			`"expires_at":"2026-12-04T21:00:00Z","csrf_token":"t"}`)
	}
	good := []byte(`{"fingerprint":"ABCD","armored":"-----BEGIN PGP PUBLIC KEY BLOCK-----","key_id":"AB","user_id":"Shujiao",` +
		`"created_at":"2026-12-04T09:00:00Z"}`)
	for _, tt := range []struct {
		name   string
		req    *http.Request
		status int
		body   []byte
		drift  bool
	}{
		{"a documented answer passes", req, http.StatusOK, good, false},
		{"a number for a string is caught", req, http.StatusOK, []byte(`{"fingerprint":1,"armored":"x","key_id":"AB","user_id":"Shujiao","created_at":"2026-12-04T09:00:00Z"}`), true},
		{"a session with uuids passes", session, http.StatusCreated, sessionBody("0192f0c2-0000-7000-8000-000000000001"), false},
		{"an empty string for a uuid is caught", session, http.StatusCreated, sessionBody(""), true},
		{"an undocumented status is caught", req, http.StatusTeapot, good, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recordTB{TB: t}
			checkContract(rec, tt.req, tt.status, h, tt.body)
			if got := len(rec.errs) > 0; got != tt.drift {
				t.Errorf("drift reported %v, want %v (%v)", got, tt.drift, rec.errs)
			}
		})
	}
}

func httptestRequest(tb testing.TB, method, path string) *http.Request {
	tb.Helper()
	r, err := http.NewRequest(method, "http://shujiao.test"+path, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return r
}
