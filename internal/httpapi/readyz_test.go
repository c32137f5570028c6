package httpapi

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

func TestReadyz_503WhenTheDatabaseIsGoneAndReportsTheReplica(t *testing.T) {
	t.Parallel()
	gone := errors.New("dial unix /tmp/pg/.s.PGSQL.5432: connect: no such file or directory")
	for _, tc := range []struct {
		name        string
		db, replica Pinger
		status      int
		want        string
	}{
		{"database answers", pinger{}, nil, 200, `"status":"ready"`},
		{"database gone", pinger{gone}, nil, 503, `"code":"not_ready"`},
		{"replica answers", pinger{}, pinger{}, 200, `"replica":"ok"`},
		{"replica gone: still ready", pinger{}, pinger{gone}, 200, `"replica":"down"`},
		{"both gone", pinger{gone}, pinger{gone}, 503, `"code":"not_ready"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := New(Config{}, Deps{DB: tc.db, Replica: tc.replica})
			rec := httptest.NewRecorder()
			srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
			if rec.Code != tc.status || !strings.Contains(rec.Body.String(), tc.want) {
				t.Fatalf("%d %s, want %d with %s", rec.Code, rec.Body.String(), tc.status, tc.want)
			}
			if tc.status == 503 {
				if ct := rec.Header().Get("Content-Type"); ct != problemContentType {
					t.Fatalf("Content-Type %q", ct)
				}
				var p Problem
				if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || p.Status != 503 || strings.Contains(p.Detail, "/tmp") {
					t.Fatalf("problem %+v %v (the database error must not reach the client)", p, err)
				}
			}
		})
	}
}

func TestUnknownError_Is503WhenTheDatabaseIsGone(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		db     Pinger
		status int
		code   string
	}{
		{"database answers: a bug", pinger{}, 500, "internal_error"},
		{"database gone", pinger{errors.New("connection refused")}, 503, "database_unavailable"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := New(Config{}, Deps{DB: tc.db})
			s.engine.GET("/test/fail", func(c *gin.Context) { s.fail(c, errors.New("select: password=hunter2 connection refused")) })
			rec := httptest.NewRecorder()
			s.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/test/fail", nil))
			p := problemOf(t, rec, tc.status)
			if p.Code != tc.code || strings.Contains(rec.Body.String(), "hunter2") {
				t.Fatalf("problem = %s", rec.Body)
			}
			if (tc.status == 503) != (rec.Header().Get("Retry-After") != "") {
				t.Fatalf("Retry-After %q on a %d", rec.Header().Get("Retry-After"), tc.status)
			}
		})
	}
}
