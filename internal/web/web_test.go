package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/shujiao/shujiao/market"
)

// mustHandler builds the pages without services: enough for every page
// that answers before it reads the database.
func mustHandler(tb testing.TB) *Handler {
	tb.Helper()
	h, err := New(Deps{})
	if err != nil {
		tb.Fatal(err)
	}
	return h
}

// get serves one request, as actor when roles are given.
func serve(h *Handler, r *http.Request, roles ...market.Role) (*http.Response, string) {
	if len(roles) > 0 {
		a := market.Actor{PartyID: market.PartyID(market.NewID()), Roles: roles, CSRFToken: "tok"}
		r = r.WithContext(market.ContextWithActor(r.Context(), a))
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	res := w.Result()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func TestPages_AccessAndLanguage(t *testing.T) {
	h := mustHandler(t)
	cases := []struct {
		name       string
		method     string
		target     string
		cookie     *http.Cookie
		roles      []market.Role
		status     int
		location   string
		want, miss []string
	}{
		{name: "an anonymous visitor is sent to the login form, and back after it", method: "GET", target: "/ui/catalog",
			status: http.StatusSeeOther, location: "/ui/login?next=%2Fui%2Fcatalog"},
		{name: "the login form is in Chinese by default", method: "GET", target: "/ui/login",
			status: 200, want: []string{`<html lang="zh-CN">`, "<h1>登录</h1>", `<label for="email">电子邮箱</label>`, "English"}, miss: []string{"Password"}},
		{name: "?lang=en switches the page to English", method: "GET", target: "/ui/login?lang=en",
			status: 200, want: []string{`<html lang="en">`, "<h1>Log in</h1>", `<label for="password">Password</label>`, "中文"}, miss: []string{"电子邮箱"}},
		{name: "the language cookie keeps English on the next page", method: "GET", target: "/ui/login",
			cookie: &http.Cookie{Name: langCookie, Value: "en"}, status: 200, want: []string{"<h1>Log in</h1>"}},
		{name: "a seller on the regulator's queue is told plainly it is forbidden (Shaanxi Art. 74 cases are the regulator's)", method: "GET",
			target: "/ui/regulator/flags", roles: []market.Role{market.RoleSeller}, status: 403,
			want: []string{"<h1>无权访问</h1>", "仅限具有相应角色的用户"}, miss: []string{"forbidden_role", "{"}},
		{name: "a buyer cannot open the seller's desk", method: "GET", target: "/ui/seller?lang=en",
			roles: []market.Role{market.RoleBuyer}, status: 403, want: []string{"<h1>Forbidden</h1>"}},
		{name: "an unknown page is a page, not JSON", method: "GET", target: "/ui/no-such-page", roles: []market.Role{market.RoleBuyer},
			status: 404, want: []string{"<h1>未找到</h1>", "没有这个页面。"}, miss: []string{"application/problem+json", `"code"`}},
		{name: "a bad price filter is shown next to its field with what was typed", method: "GET", target: "/ui/catalog?min_price=abc",
			roles: []market.Role{market.RoleBuyer}, status: 400,
			want: []string{`id="min_price-err"`, `value="abc"`, "请填写不为负的金额"}},
		{name: "a bad date in the flag queue is shown next to its field", method: "GET", target: "/ui/regulator/flags?from=2026-13-01&lang=en",
			roles: []market.Role{market.RoleRegulator}, status: 400, want: []string{`id="from-err"`, "Enter a date as YYYY-MM-DD.", `value="2026-13-01"`}},
		{name: "a form posted without a session arrives anonymous and goes to the login form", method: "POST",
			target: "/ui/regulator/cases", status: http.StatusSeeOther, location: "/ui/login?notice=session_expired"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest(c.method, c.target, nil)
			if c.cookie != nil {
				r.AddCookie(c.cookie)
			}
			res, body := serve(h, r, c.roles...)
			if res.StatusCode != c.status {
				t.Fatalf("status %d, want %d\n%s", res.StatusCode, c.status, body)
			}
			if got := res.Header.Get("Location"); got != c.location {
				t.Errorf("Location %q, want %q", got, c.location)
			}
			for _, w := range c.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			for _, m := range c.miss {
				if strings.Contains(body, m) {
					t.Errorf("page has %q", m)
				}
			}
		})
	}
}

func TestLogin_BadInputKeepsWhatWasTyped(t *testing.T) {
	h := mustHandler(t)
	for _, c := range []struct {
		name, form, field, msg string
	}{
		{"a missing email is shown next to the email field", "email=&password=x", "email-err", "请填写电子邮箱。"},
		{"a missing password is shown next to the password field, the email kept", "email=a%40b.cn&password=", "password-err", "请填写密码。"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/ui/login", strings.NewReader(c.form))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			res, body := serve(h, r)
			if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="`+c.field+`"`) || !strings.Contains(body, c.msg) {
				t.Fatalf("status %d; want 400 with %s saying %q:\n%s", res.StatusCode, c.field, c.msg, body)
			}
			if strings.Contains(c.form, "a%40b.cn") && !strings.Contains(body, `value="a@b.cn"`) {
				t.Errorf("the email typed was not kept")
			}
		})
	}
}

func TestStatic_ServedEmbedded(t *testing.T) {
	h := mustHandler(t)
	for path, ctype := range map[string]string{"/ui/static/style.css": "text/css", "/ui/static/app.js": "javascript"} {
		res, body := serve(h, httptest.NewRequest("GET", path, nil))
		if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Type"), ctype) || len(body) < 100 {
			t.Errorf("%s: status %d, type %q, %d bytes", path, res.StatusCode, res.Header.Get("Content-Type"), len(body))
		}
	}
}

func TestSafeNext_OnlyThisSite(t *testing.T) {
	for in, want := range map[string]string{
		"/ui/catalog?q=x":         "/ui/catalog?q=x",
		"https://evil.example/ui": "",
		"//evil.example/ui/":      "",
		"/ui/\\evil":              "",
		"/v1/me":                  "",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSwitchTo_KeepsTheQuery(t *testing.T) {
	p := &page{Path: "/ui/catalog?q=%E6%B0%94%E8%B1%A1&lang=zh"}
	u, err := url.Parse(p.SwitchTo("en"))
	if err != nil || u.Path != "/ui/catalog" || u.Query().Get("q") != "气象" || u.Query().Get("lang") != "en" {
		t.Fatalf("SwitchTo(en) = %q", p.SwitchTo("en"))
	}
}
