package httpapi

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/shujiao/shujiao/market"
)

func TestRequireRole_GatesByRole(t *testing.T) {
	t.Parallel()
	w := mustWorld(t)
	ok := func(c *gin.Context) { c.JSON(200, gin.H{"party": actor(c).PartyID}) }
	w.srv.engine.GET("/v1/test/sellers", w.srv.authenticate, w.srv.requireAuth, requireRole(market.RoleSeller), ok)
	w.srv.engine.GET("/v1/test/regulators", w.srv.authenticate, w.srv.requireAuth, requireRole(market.RoleRegulator, market.RoleOperator), ok)
	tests := []struct {
		name   string
		path   string
		token  string
		status int
	}{
		{"a seller passes a sellers-only route", "/v1/test/sellers", w.tokenA, 200},
		{"a regulator is refused a sellers-only route", "/v1/test/sellers", w.tokR, 403},
		{"a seller is refused a regulators-only route", "/v1/test/regulators", w.tokenB, 403},
		{"a regulator passes a regulator-or-operator route", "/v1/test/regulators", w.tokR, 200},
		{"an anonymous caller is refused before the role check", "/v1/test/sellers", "", 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := w.do(t, req{method: "GET", path: tt.path, token: tt.token})
			switch tt.status {
			case 200:
				mustJSON(t, rec, 200, nil)
			case 403:
				mustProblem(t, rec, 403, "forbidden_role")
			default:
				mustProblem(t, rec, tt.status, "unauthenticated")
			}
		})
	}
}

func TestSession_CSRFTokenInAFormField(t *testing.T) {
	t.Parallel()
	w := mustWorld(t)
	rec := w.do(t, req{method: "POST", path: "/v1/sessions", body: `{"email":"a@example.cn","password":"` + testPassword + `"}`})
	var s sessionCreated
	mustJSON(t, rec, 201, &s)
	w.srv.engine.POST("/v1/test/form", w.srv.authenticate, w.srv.requireAuth, func(c *gin.Context) {
		if _, ok := market.ActorFromContext(c.Request.Context()); !ok {
			t.Error("the actor is not on the request context")
		}
		c.Status(http.StatusNoContent)
	})
	for _, tt := range []struct {
		name, token string
		status      int
	}{
		{"a form with the session's CSRF token passes", s.CSRFToken, 204},
		{"a form with another token is refused", strings.Repeat("x", len(s.CSRFToken)), 403},
	} {
		t.Run(tt.name, func(t *testing.T) {
			hr := httptest.NewRequest("POST", "/v1/test/form", strings.NewReader(url.Values{CSRFField: {tt.token}}.Encode()))
			hr.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for _, c := range rec.Result().Cookies() {
				hr.AddCookie(c)
			}
			out := httptest.NewRecorder()
			w.srv.Handler().ServeHTTP(out, hr)
			if out.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", out.Code, tt.status, out.Body)
			}
		})
	}
}
