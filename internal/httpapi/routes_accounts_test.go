package httpapi

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/shujiao/shujiao/market"
)

func TestParties_SellerSeesOnlyOwnPartyRegulatorSeesAll(t *testing.T) {
	t.Parallel()
	w := mustWorld(t)
	tests := []struct {
		name   string
		token  string
		party  market.Party
		status int
	}{
		{"seller A reads its own party", w.tokenA, w.partyA, http.StatusOK},
		{"seller A cannot read party B", w.tokenA, w.partyB, http.StatusForbidden},
		{"seller B cannot read party A", w.tokenB, w.partyA, http.StatusForbidden},
		{"a regulator reads party A", w.tokR, w.partyA, http.StatusOK},
		{"a regulator reads party B", w.tokR, w.partyB, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := w.do(t, req{method: "GET", path: "/v1/parties/" + tt.party.ID.String(), token: tt.token})
			if tt.status != http.StatusOK {
				mustProblem(t, rec, tt.status, "forbidden_party")
				return
			}
			var got market.Party
			mustJSON(t, rec, http.StatusOK, &got)
			if got.ID != tt.party.ID || got.CreditCode != tt.party.CreditCode {
				t.Fatalf("got party %+v, want %+v", got, tt.party)
			}
		})
	}
}

func TestErrors_Are4xxProblemsNeverA500(t *testing.T) {
	t.Parallel()
	w := mustWorld(t)
	_, a, err := w.acc.Login(t.Context(), "a@example.cn", testPassword, market.PartyID{})
	if err != nil {
		t.Fatal(err)
	}
	revokedTok, revoked, _ := w.acc.CreateToken(t.Context(), a, "to revoke", 0)
	if err := w.acc.RevokeToken(t.Context(), a, revokedTok.ID); err != nil {
		t.Fatal(err)
	}
	_, expiring, _ := w.acc.CreateToken(t.Context(), a, "short", time.Minute)
	w.clock.Add(2 * time.Minute)

	tests := []struct {
		name   string
		r      req
		status int
		code   string
	}{
		{"a wrong password is refused", req{method: "POST", path: "/v1/sessions", body: `{"email":"a@example.cn","password":"wrong password!"}`}, 401, "invalid_credentials"},
		{"an unknown email is refused like a wrong password", req{method: "POST", path: "/v1/sessions", body: `{"email":"x@example.cn","password":"wrong password!"}`}, 401, "invalid_credentials"},
		{"an expired token is refused", req{method: "GET", path: "/v1/me", token: expiring}, 401, "token_expired"},
		{"a revoked token is refused", req{method: "GET", path: "/v1/me", token: revoked}, 401, "token_revoked"},
		{"a made-up token is refused", req{method: "GET", path: "/v1/me", token: "sjt_" + strings.Repeat("A", 43)}, 401, "invalid_token"},
		{"a token of the wrong shape is refused", req{method: "GET", path: "/v1/me", token: "hunter2"}, 401, "invalid_token"},
		{"a Basic Authorization header is refused", req{method: "GET", path: "/v1/me", header: map[string]string{"Authorization": "Basic YTpi"}}, 401, "invalid_token"},
		{"no credentials at all are refused", req{method: "GET", path: "/v1/me"}, 401, "unauthenticated"},
		{"malformed JSON is refused", req{method: "POST", path: "/v1/tokens", token: w.tokenA, body: `{"name": "x",`}, 400, "invalid_json"},
		{"JSON of the wrong type is refused", req{method: "POST", path: "/v1/tokens", token: w.tokenA, body: `{"ttl_seconds": "soon"}`}, 400, "invalid_json"},
		{"an unknown field is refused", req{method: "POST", path: "/v1/tokens", token: w.tokenA, body: `{"nmae": "x"}`}, 400, "unknown_field"},
		{"two JSON values are refused", req{method: "POST", path: "/v1/tokens", token: w.tokenA, body: `{} {}`}, 400, "invalid_json"},
		{"a form body is refused", req{method: "POST", path: "/v1/tokens", token: w.tokenA, body: `{}`, header: map[string]string{"Content-Type": "text/plain"}}, 415, "unsupported_media_type"},
		{"an oversized body is refused", req{method: "POST", path: "/v1/parties", body: `{"party":{"name":"` + strings.Repeat("x", 5000) + `"}}`}, 413, "body_too_large"},
		{"an unknown route is refused", req{method: "GET", path: "/v1/nothing-here", token: w.tokenA}, 404, "route_not_found"},
		{"an unknown method on a route is refused", req{method: "PUT", path: "/v1/me", token: w.tokenA}, 405, "method_not_allowed"},
		{"a malformed party id is refused", req{method: "GET", path: "/v1/parties/not-a-uuid", token: w.tokenA}, 400, "invalid_id"},
		{"an unknown party is not found for a regulator", req{method: "GET", path: "/v1/parties/" + market.NewID().String(), token: w.tokR}, 404, "not_found"},
		{"revoking another user's token is not found", req{method: "DELETE", path: "/v1/tokens/" + revokedTok.ID.String(), token: w.tokenB}, 404, "token_not_found"},
		{"logging out with a token is refused", req{method: "DELETE", path: "/v1/sessions/current", token: w.tokenA}, 400, "not_a_session"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustProblem(t, w.do(t, tt.r), tt.status, tt.code)
			if tt.status == 401 && p.Detail == "" {
				t.Errorf("a 401 says nothing of why")
			}
		})
	}
}

func TestRegistration(t *testing.T) {
	t.Parallel()
	w := mustWorld(t)
	type regCase struct {
		name   string
		r      req
		status int
		code   string
		field  string
	}
	_, operator := w.mustParty(t, "数交平台运营有限公司", "91610131MA7G2PLT35", "op@example.cn", market.PartyPlatform, market.RoleOperator)
	tests := []regCase{
		{"anyone may register a buyer organization", req{method: "POST", path: "/v1/parties", body: `{"party":{"kind":"organization","name":"丙公司","credit_code":"91610104MA6W8CD91A","jurisdiction":"61"},"user":{"email":"c@example.cn","name":"C","password":"long enough pw"},"roles":["buyer"]}`}, 201, "", ""},
		{"anyone may register an individual buyer", req{method: "POST", path: "/v1/parties", body: `{"party":{"kind":"individual","name":"张三","jurisdiction":"12"},"user":{"email":"z@example.cn","name":"张三","password":"long enough pw"},"roles":["buyer"]}`}, 201, "", ""},
		{"a bad check character is refused (GB 32100-2015)", req{method: "POST", path: "/v1/parties", body: `{"party":{"kind":"organization","name":"丁公司","credit_code":"91610104MA6W8CD91B","jurisdiction":"61"},"user":{"email":"d@example.cn","name":"D","password":"long enough pw"},"roles":["buyer"]}`}, 400, "invalid_credit_code", "party.credit_code"},
		{"an anonymous caller cannot register a regulator", req{method: "POST", path: "/v1/parties", body: `{"party":{"kind":"organization","type":"regulator","name":"某局","credit_code":"11610000MB2950531A","jurisdiction":"61"},"user":{"email":"e@example.cn","name":"E","password":"long enough pw"},"roles":["regulator"]}`}, 403, "forbidden_role", ""},
		{"a regulator role in a participant party is refused", req{method: "POST", path: "/v1/parties", body: `{"party":{"kind":"organization","name":"戊公司","credit_code":"91310115MA1H9XK2L1","jurisdiction":"31"},"user":{"email":"f@example.cn","name":"F","password":"long enough pw"},"roles":["regulator"]}`}, 400, "invalid_role", "roles"},
		{"a taken credit code conflicts", req{method: "POST", path: "/v1/parties", body: `{"party":{"kind":"organization","name":"甲二","credit_code":"91610131MA6U3R1X2M","jurisdiction":"61"},"user":{"email":"g@example.cn","name":"G","password":"long enough pw"},"roles":["seller"]}`}, 409, "party_exists", ""},
		{"a short password is refused", req{method: "POST", path: "/v1/parties", body: `{"party":{"kind":"individual","name":"李四","jurisdiction":"overseas"},"user":{"email":"h@example.cn","name":"H","password":"short"},"roles":["buyer"]}`}, 400, "weak_password", "user.password"},
		{"an operator may register a regulator", req{method: "POST", path: "/v1/parties", token: operator, body: `{"party":{"kind":"organization","type":"regulator","name":"天津市市场监督管理委员会","credit_code":"11120000MB1738062M","jurisdiction":"12"},"user":{"email":"tj@example.cn","name":"TJ","password":"long enough pw"},"roles":["regulator"]}`}, 201, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := w.do(t, tt.r)
			if tt.status == 201 {
				var got partyCreated
				mustJSON(t, rec, 201, &got)
				if got.Party.ID.IsZero() || got.User.ID.IsZero() || strings.Contains(rec.Body.String(), "argon2") {
					t.Fatalf("created = %s", rec.Body)
				}
				return
			}
			if p := mustProblem(t, rec, tt.status, tt.code); p.Field != tt.field {
				t.Fatalf("field = %q, want %q", p.Field, tt.field)
			}
		})
	}
}

func TestSession_LoginCSRFAndLogout(t *testing.T) {
	t.Parallel()
	w := mustWorld(t)
	rec := w.do(t, req{method: "POST", path: "/v1/sessions", body: `{"email":"A@example.cn","password":"` + testPassword + `"}`})
	var s sessionCreated
	mustJSON(t, rec, http.StatusCreated, &s)
	cookies := rec.Result().Cookies()
	if len(cookies) != 1 || cookies[0].Name != SessionCookie || !cookies[0].HttpOnly || cookies[0].SameSite != http.SameSiteLaxMode {
		t.Fatalf("session cookie = %+v, want one HttpOnly SameSite=Lax %s", cookies, SessionCookie)
	}
	if s.PartyID != w.partyA.ID || s.CSRFToken == "" {
		t.Fatalf("session = %+v", s)
	}

	var me market.Me
	mustJSON(t, w.do(t, req{method: "GET", path: "/v1/me", cookies: cookies}), 200, &me)
	if me.Party.ID != w.partyA.ID || me.Credential != "session" || me.User.Email != "a@example.cn" {
		t.Fatalf("me = %+v", me)
	}

	t.Run("an unsafe request without the CSRF token is refused", func(t *testing.T) {
		mustProblem(t, w.do(t, req{method: "POST", path: "/v1/tokens", body: `{}`, cookies: cookies}), 403, "csrf_failed")
	})
	t.Run("an unsafe request with a wrong CSRF token is refused", func(t *testing.T) {
		mustProblem(t, w.do(t, req{method: "POST", path: "/v1/tokens", body: `{}`, cookies: cookies,
			header: map[string]string{CSRFHeader: s.CSRFToken + "x"}}), 403, "csrf_failed")
	})
	t.Run("an unsafe request with the CSRF token passes", func(t *testing.T) {
		var tok tokenCreated
		mustJSON(t, w.do(t, req{method: "POST", path: "/v1/tokens", body: `{"name":"cli"}`, cookies: cookies,
			header: map[string]string{CSRFHeader: s.CSRFToken}}), 201, &tok)
		if !strings.HasPrefix(tok.Secret, "sjt_") || tok.Name != "cli" {
			t.Fatalf("token = %+v", tok)
		}
		mustJSON(t, w.do(t, req{method: "GET", path: "/v1/me", token: tok.Secret}), 200, nil)
	})
	t.Run("after logout the cookie no longer authenticates", func(t *testing.T) {
		rec := w.do(t, req{method: "DELETE", path: "/v1/sessions/current", cookies: cookies, header: map[string]string{CSRFHeader: s.CSRFToken}})
		if rec.Code != http.StatusNoContent {
			t.Fatalf("logout status %d: %s", rec.Code, rec.Body)
		}
		mustProblem(t, w.do(t, req{method: "GET", path: "/v1/me", cookies: cookies}), 401, "session_revoked")
	})
	t.Run("a stale cookie does not block logging in again", func(t *testing.T) {
		mustJSON(t, w.do(t, req{method: "POST", path: "/v1/sessions", cookies: cookies,
			body: `{"email":"a@example.cn","password":"` + testPassword + `"}`}), 201, nil)
	})
}

func TestTokens_CreateListRevoke(t *testing.T) {
	t.Parallel()
	w := mustWorld(t)
	var tok tokenCreated
	mustJSON(t, w.do(t, req{method: "POST", path: "/v1/tokens", token: w.tokenA, body: `{"name":"ci","ttl_seconds":3600}`}), 201, &tok)
	if got, want := tok.ExpiresAt.Sub(tok.CreatedAt), time.Hour; got != want {
		t.Errorf("token lifetime = %v, want %v", got, want)
	}
	var list struct{ Tokens []map[string]any }
	mustJSON(t, w.do(t, req{method: "GET", path: "/v1/tokens", token: tok.Secret}), 200, &list)
	if len(list.Tokens) != 2 {
		t.Fatalf("tokens = %v, want the seed token and the new one", list.Tokens)
	}
	for _, lt := range list.Tokens {
		if _, ok := lt["token"]; ok {
			t.Fatalf("a listed token shows its secret: %v", lt)
		}
	}
	if rec := w.do(t, req{method: "DELETE", path: "/v1/tokens/" + tok.ID.String(), token: w.tokenA}); rec.Code != 204 {
		t.Fatalf("revoke: %d %s", rec.Code, rec.Body)
	}
	mustProblem(t, w.do(t, req{method: "GET", path: "/v1/me", token: tok.Secret}), 401, "token_revoked")
}

func TestAddUser_OnlyToOwnPartyWithOwnRoles(t *testing.T) {
	t.Parallel()
	w := mustWorld(t)
	newUser := func(email, roles string) string {
		return `{"user":{"email":"` + email + `","name":"新同事","password":"long enough pw"},"roles":` + roles + `}`
	}
	path := func(p market.Party) string { return "/v1/parties/" + p.ID.String() + "/users" }
	tests := []struct {
		name   string
		r      req
		status int
		code   string
	}{
		{"a seller adds a seller to its own party", req{method: "POST", path: path(w.partyA), token: w.tokenA, body: newUser("a2@example.cn", `["seller"]`)}, 201, ""},
		{"a seller cannot add a user to another party", req{method: "POST", path: path(w.partyB), token: w.tokenA, body: newUser("a3@example.cn", `["seller"]`)}, 403, "forbidden_party"},
		{"a seller cannot grant the buyer role it does not hold", req{method: "POST", path: path(w.partyA), token: w.tokenA, body: newUser("a4@example.cn", `["buyer"]`)}, 403, "forbidden_role"},
		{"a taken email conflicts", req{method: "POST", path: path(w.partyA), token: w.tokenA, body: newUser("b@example.cn", `["seller"]`)}, 409, "user_exists"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := w.do(t, tt.r)
			if tt.status != 201 {
				mustProblem(t, rec, tt.status, tt.code)
				return
			}
			mustJSON(t, rec, 201, nil)
			_, a, err := w.acc.Login(t.Context(), "a2@example.cn", "long enough pw", market.PartyID{})
			if err != nil || a.PartyID != w.partyA.ID || !a.Can(market.RoleSeller) {
				t.Fatalf("the new user logs in as %+v (%v), want a seller of A", a, err)
			}
		})
	}
}
