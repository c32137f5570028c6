package httpapi

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/shujiao/shujiao/market"
)

const (
	// SessionCookie is the name of the session cookie.
	SessionCookie = "shujiao_session"
	// CSRFHeader carries the session's anti-forgery token on unsafe requests.
	CSRFHeader = "X-CSRF-Token"
	// CSRFField is the form field that may carry it instead (HTML forms).
	CSRFField = "csrf_token"

	actorKey   = "shujiao.actor"
	authErrKey = "shujiao.auth_error"
)

// authenticate identifies the caller from "Authorization: Bearer <token>"
// or, failing that, the session cookie. On success the actor is stored on the
// request (actor(c), market.ActorFromContext); on failure the error is kept
// for requireAuth, so that public routes (login, registration) still work
// with a stale cookie. A session caller of an unsafe method must present the
// session's CSRF token (header X-CSRF-Token or form field csrf_token);
// without it the request counts as anonymous.
func (s *Server) authenticate(c *gin.Context) {
	var (
		a   market.Actor
		err error
	)
	switch {
	case c.GetHeader("Authorization") != "":
		scheme, tok, _ := strings.Cut(c.GetHeader("Authorization"), " ")
		if !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(tok) == "" {
			err = market.Errorf(market.ErrUnauthenticated, "invalid_token", "the Authorization header must be \"Bearer <token>\"")
			break
		}
		a, err = s.svc.Accounts.AuthenticateToken(c.Request.Context(), strings.TrimSpace(tok))
	default:
		ck, cerr := c.Cookie(SessionCookie)
		if cerr != nil || ck == "" {
			c.Next()
			return
		}
		a, err = s.svc.Accounts.AuthenticateSession(c.Request.Context(), ck)
		if err == nil && !safeMethod(c.Request.Method) && !a.CheckCSRF(csrfPresented(c)) {
			a, err = market.Actor{}, market.Errorf(market.ErrForbidden, "csrf_failed",
				"a request made with a session cookie must carry the session's CSRF token in the %s header", CSRFHeader)
		}
	}
	if err != nil {
		c.Set(authErrKey, err)
		c.Next()
		return
	}
	c.Set(actorKey, a)
	c.Request = c.Request.WithContext(market.ContextWithActor(c.Request.Context(), a))
	c.Next()
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// csrfPresented returns the CSRF token of the request: the header, or the
// form field of a URL-encoded form.
func csrfPresented(c *gin.Context) string {
	if h := c.GetHeader(CSRFHeader); h != "" {
		return h
	}
	if strings.HasPrefix(c.ContentType(), "application/x-www-form-urlencoded") {
		return c.PostForm(CSRFField)
	}
	return ""
}

// requireAuth refuses a request without a valid caller: 401 with the reason
// (token_expired, token_revoked, …), or 403 csrf_failed.
func (s *Server) requireAuth(c *gin.Context) {
	if _, ok := callerOf(c); ok {
		c.Next()
		return
	}
	if v, ok := c.Get(authErrKey); ok {
		s.fail(c, v.(error))
		return
	}
	s.fail(c, market.Errorf(market.ErrUnauthenticated, "unauthenticated",
		"authenticate with \"Authorization: Bearer <token>\" or a session cookie (POST /v1/sessions)"))
}

// requireRole is route middleware that lets through only callers holding at
// least one of roles (403 forbidden_role otherwise). Use it after Authed:
//
//	g.Authed.POST("/listings", requireRole(market.RoleSeller), s.createListing)
func requireRole(roles ...market.Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		a, ok := callerOf(c)
		if !ok {
			writeProblem(c, problemFor(market.Errorf(market.ErrUnauthenticated, "unauthenticated", "authentication required")))
			return
		}
		if err := a.RequireRole(roles...); err != nil {
			writeProblem(c, problemFor(err))
			return
		}
		c.Next()
	}
}

// actor returns the authenticated caller. It panics when called from a
// handler not behind requireAuth (a programming error, answered by a 500).
func actor(c *gin.Context) market.Actor {
	a, ok := callerOf(c)
	if !ok {
		panic("httpapi: actor(c) on a route without authentication: register it on g.Authed")
	}
	return a
}

// callerOf returns the caller when the request authenticated.
func callerOf(c *gin.Context) (market.Actor, bool) {
	v, ok := c.Get(actorKey)
	if !ok {
		return market.Actor{}, false
	}
	a, ok := v.(market.Actor)
	return a, ok
}
