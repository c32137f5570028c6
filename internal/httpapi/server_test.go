package httpapi

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

func TestPanic_Is500InternalErrorWithRequestIDOnly(t *testing.T) {
	t.Parallel()
	s := New(Config{}, Deps{})
	s.engine.GET("/test/panic", func(*gin.Context) { panic("secret detail 42") })
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/test/panic", nil))
	p := problemOf(t, rec, 500)
	if p.Code != "internal_error" || p.Detail != "internal error" || strings.Contains(rec.Body.String(), "secret") {
		t.Fatalf("problem = %s", rec.Body)
	}
	if p.RequestID == "" || rec.Header().Get(requestIDHeader) != p.RequestID {
		t.Fatalf("request id %q not echoed in header %q", p.RequestID, rec.Header().Get(requestIDHeader))
	}
}

func TestUnknownError_Is500WithoutItsText(t *testing.T) {
	t.Parallel()
	s := New(Config{}, Deps{})
	s.engine.GET("/test/fail", func(c *gin.Context) { s.fail(c, errors.New("dial tcp 10.0.0.5: password=hunter2")) })
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/test/fail", nil))
	problemOf(t, rec, 500)
	if strings.Contains(rec.Body.String(), "hunter2") {
		t.Fatalf("a 500 leaks its error: %s", rec.Body)
	}
}

type pinger struct{ err error }

func (p pinger) Ping(context.Context) error { return p.err }

func TestProbes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		db     Pinger
		path   string
		status int
	}{
		{"healthz answers without a database", nil, "/healthz", 200},
		{"readyz answers when the database does", pinger{}, "/readyz", 200},
		{"readyz is 503 when the database does not answer", pinger{errors.New("down")}, "/readyz", 503},
		{"metrics are served", pinger{}, "/metrics", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(Config{}, Deps{DB: tt.db})
			rec := httptest.NewRecorder()
			s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", tt.path, nil))
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			if tt.path == "/metrics" && !strings.Contains(rec.Body.String(), "go_goroutines") {
				t.Fatalf("metrics lack the Go collector")
			}
		})
	}
}

func TestMetrics_CountRequestsByRoutePattern(t *testing.T) {
	t.Parallel()
	s := New(Config{}, Deps{})
	for _, p := range []string{"/healthz", "/v1/parties/abc", "/nowhere"} {
		s.Handler().ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", p, nil))
	}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body := rec.Body.String()
	for _, want := range []string{
		`shujiao_http_requests_total{method="GET",route="/healthz",status="200"} 1`,
		`shujiao_http_requests_total{method="GET",route="/v1/parties/:id",status="401"} 1`,
		`shujiao_http_requests_total{method="GET",route="unmatched",status="404"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

func problemOf(t *testing.T, rec *httptest.ResponseRecorder, status int) Problem {
	t.Helper()
	if rec.Code != status || rec.Header().Get("Content-Type") != problemContentType {
		t.Fatalf("status %d %q, want %d problem+json: %s", rec.Code, rec.Header().Get("Content-Type"), status, rec.Body)
	}
	var p Problem
	mustJSON(t, rec, status, &p)
	return p
}

var _ http.Handler = New(Config{}, Deps{}).Handler()

func TestBodyLimit_ARouteMayRaiseIt(t *testing.T) {
	t.Parallel()
	s := New(Config{MaxBodyBytes: 100}, Deps{})
	echo := func(c *gin.Context) {
		var v map[string]string
		if s.bindJSON(c, &v) {
			c.Status(http.StatusNoContent)
		}
	}
	s.engine.POST("/test/small", echo)
	s.setBodyLimit("/test/big", 1000)
	s.engine.POST("/test/big", echo)
	body := `{"x":"` + strings.Repeat("y", 200) + `"}`
	tests := []struct {
		name    string
		path    string
		chunked bool
		status  int
	}{
		{"a body over the default limit is refused", "/test/small", false, 413},
		{"a chunked body over the default limit is refused", "/test/small", true, 413},
		{"the same body passes a route with a raised limit", "/test/big", false, 204},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", tt.path, strings.NewReader(body))
			if tt.chunked {
				r.ContentLength = -1
			}
			rec := httptest.NewRecorder()
			s.Handler().ServeHTTP(rec, r)
			if tt.status == 413 {
				if p := problemOf(t, rec, 413); p.Code != "body_too_large" {
					t.Fatalf("code %q", p.Code)
				}
				return
			}
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
		})
	}
}
