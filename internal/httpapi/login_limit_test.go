package httpapi

import (
	"strings"
	"testing"
	"time"
)

func TestLogin_RepeatedFailuresGet429UntilTheWindowEnds(t *testing.T) {
	t.Parallel()
	w := mustWorld(t)
	login := func(password string) req {
		return req{method: "POST", path: "/v1/sessions", body: `{"email":"a@example.cn","password":"` + password + `"}`}
	}
	for range 10 {
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
	t.Run("a server restarted over the same database still refuses", func(t *testing.T) {
		restarted := New(Config{MaxBodyBytes: 4096}, Deps{Services: Services{Accounts: w.acc}})
		w2 := &world{srv: restarted, acc: w.acc, clock: w.clock}
		mustProblem(t, w2.do(t, login(testPassword)), 429, "too_many_attempts")
	})
	w.clock.Add(16 * time.Minute)
	t.Run("after the window the right password logs in", func(t *testing.T) {
		mustJSON(t, w.do(t, login(testPassword)), 201, nil)
	})
}
