package web

import (
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/shujiao/shujiao/internal/httpapi"
	"github.com/shujiao/shujiao/market"
)

func (h *Handler) loginForm(rc *reqCtx) error {
	if _, ok := rc.actor(); ok && rc.r.URL.Query().Get("next") == "" {
		return rc.redirect(Prefix + "/")
	}
	f := url.Values{"next": {safeNext(rc.r.URL.Query().Get("next"))}}
	return rc.render(http.StatusOK, "login", "login.title", &page{Form: f})
}

// login checks email and password with the account service (as POST
// /v1/sessions does) and sets the same session cookie; the form is shown
// again with the problem next to the field otherwise.
func (h *Handler) login(rc *reqCtx) error {
	f, err := rc.form()
	if err != nil {
		return err
	}
	again := func(status int, field, key string) error {
		f.Del("password")
		return rc.render(status, "login", "login.title", &page{Form: f, Errors: map[string]string{field: rc.t(key)}})
	}
	email := f.Get("email")
	switch {
	case email == "":
		return again(http.StatusBadRequest, "email", "login.email_required")
	case f.Get("password") == "":
		return again(http.StatusBadRequest, "password", "login.password_required")
	}
	secret, a, err := h.deps.Accounts.LoginLimited(rc.r.Context(), market.LoginAttempt{Email: email, Password: f.Get("password"),
		Client: clientAddr(rc.r)})
	if errors.Is(err, market.ErrTooManyAttempts) {
		return again(http.StatusTooManyRequests, "_form", "login.too_many")
	}
	if errors.Is(err, market.ErrUnauthenticated) {
		return again(http.StatusUnauthorized, "password", "login.bad_credentials")
	}
	if err != nil {
		if fe, ok := rc.fieldErrors(err); ok {
			f.Del("password")
			return rc.render(http.StatusBadRequest, "login", "login.title", &page{Form: f, Errors: fe})
		}
		return err
	}
	h.setSession(rc, secret, a.ExpiresAt)
	if next := safeNext(f.Get("next")); next != "" {
		return rc.redirect(next)
	}
	return rc.redirect(Prefix + "/")
}

// logout revokes the session (POST with the CSRF token) and clears the cookie.
func (h *Handler) logout(rc *reqCtx) error {
	a, err := rc.require()
	if err != nil {
		return err
	}
	if err := h.deps.Accounts.Logout(rc.r.Context(), a); err != nil {
		return err
	}
	h.setSession(rc, "", time.Unix(0, 0))
	return rc.redirect(Prefix + "/login?notice=logged_out")
}

func (h *Handler) setSession(rc *reqCtx, value string, expires time.Time) {
	ck := &http.Cookie{Name: httpapi.SessionCookie, Value: value, Path: "/", Expires: expires,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: h.deps.SecureCookies || rc.r.TLS != nil}
	if value == "" {
		ck.MaxAge = -1
	}
	http.SetCookie(rc.w, ck)
}

// safeNext keeps a post-login target only when it is a page of this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, Prefix+"/") || strings.HasPrefix(next, "//") || strings.Contains(next, "\\") {
		return ""
	}
	return next
}

// clientAddr is the client's address as the API's limiter keys it: the
// peer's, never a header's (the API trusts no proxy either).
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
