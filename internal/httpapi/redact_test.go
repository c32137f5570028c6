package httpapi

import (
	"bytes"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// lockedBuffer is a log sink safe for the server's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestAccessLog_RedactsTokens: a download token (a bearer credential in the
// URL) and the bearer token of the request never reach the access log; the
// route still does. Before, the download token was logged in clear text.
func TestAccessLog_RedactsTokens(t *testing.T) {
	t.Parallel()
	var logs lockedBuffer
	srv := New(Config{}, Deps{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	const download = "sjd_c2VjcmV0LWRvd25sb2FkLXRva2Vu"
	const bearer = "sjt_bearer-secret-value"
	for _, path := range []string{"/v1/downloads/" + download, "/v1/nowhere/" + download} {
		r := httptest.NewRequest("GET", path, nil)
		r.Header.Set("Authorization", "Bearer "+bearer)
		srv.Handler().ServeHTTP(httptest.NewRecorder(), r)
	}
	out := logs.String()
	for _, secret := range []string{download, bearer, "c2VjcmV0"} {
		if strings.Contains(out, secret) {
			t.Errorf("the access log shows %q:\n%s", secret, out)
		}
	}
	if !strings.Contains(out, "/v1/downloads/[redacted]") || !strings.Contains(out, "route=/v1/downloads/:token") {
		t.Errorf("the access log lost the route:\n%s", out)
	}
}
