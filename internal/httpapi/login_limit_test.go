package httpapi

import (
	"strings"
	"testing"
	"time"
)

func TestLogin_RepeatedFailuresGet429UntilTheWindowEnds(t *testing.T) {
	t.Parallel()
	w := mustWorld(t)
	w.srv.cfg.LoginMaxFailures = 3
	now := time.Now()
	w.srv.logins.now = func() time.Time { return now }
	login := func(password string) req {
		return req{method: "POST", path: "/v1/sessions", body: `{"email":"a@example.cn","password":"` + password + `"}`}
	}
	for i := 0; i < 3; i++ {
		mustProblem(t, w.do(t, login("wrong password!")), 401, "invalid_credentials")
	}
	rec := w.do(t, login(testPassword))
	mustProblem(t, rec, 429, "too_many_attempts")
	if ra := rec.Header().Get("Retry-After"); ra == "" || strings.HasPrefix(ra, "0") {
		t.Errorf("Retry-After = %q", ra)
	}
	t.Run("another account is not locked", func(t *testing.T) {
		mustJSON(t, w.do(t, req{method: "POST", path: "/v1/sessions", body: `{"email":"b@example.cn","password":"` + testPassword + `"}`}), 201, nil)
	})
	now = now.Add(16 * time.Minute)
	t.Run("after the window the right password logs in", func(t *testing.T) {
		mustJSON(t, w.do(t, login(testPassword)), 201, nil)
	})
}

func TestLoginLimiter_SuccessForgetsFailures(t *testing.T) {
	t.Parallel()
	l := newLoginLimiter(time.Minute)
	l.failed("k")
	l.failed("k")
	if _, ok := l.allow("k", 2); ok {
		t.Fatal("two failures of two allowed still allow")
	}
	l.reset("k")
	if _, ok := l.allow("k", 2); !ok {
		t.Fatal("a reset key is still refused")
	}
}
