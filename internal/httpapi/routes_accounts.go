package httpapi

import (
	"errors"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/shujiao/shujiao/market"
)

// accountRoutes registers registration, login and logout, API tokens, /me and
// reading a party.
func (s *Server) accountRoutes(g v1Groups) {
	g.Public.POST("/parties", s.createParty)
	g.Public.POST("/sessions", s.createSession)
	g.Authed.DELETE("/sessions/current", s.deleteSession)
	g.Authed.GET("/tokens", s.listTokens)
	g.Authed.POST("/tokens", s.createToken)
	g.Authed.DELETE("/tokens/:id", s.deleteToken)
	g.Authed.GET("/me", s.me)
	g.Authed.GET("/parties/:id", s.getParty)
	g.Authed.POST("/parties/:id/users", s.addUser)
	g.Authed.PUT("/parties/:id/controller", s.setPartyController) // routes_parties_controller.go
}

type partyCreated struct {
	Party market.Party `json:"party"`
	User  market.User  `json:"user"`
}

// createParty registers a party and its first user (anyone may register a
// participant; only an operator a regulator or platform party).
func (s *Server) createParty(c *gin.Context) {
	var req market.Registration
	if !s.bindJSON(c, &req) {
		return
	}
	var by *market.Actor
	if a, ok := callerOf(c); ok {
		by = &a
	}
	p, u, err := s.svc.Accounts.Register(c.Request.Context(), by, req)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Location", "/v1/parties/"+p.ID.String())
	writeJSON(c, http.StatusCreated, partyCreated{Party: p, User: u})
}

type loginRequest struct {
	Email    string         `json:"email"`
	Password string         `json:"password"`
	PartyID  market.PartyID `json:"party_id"`
}

type sessionCreated struct {
	UserID    market.UserID  `json:"user_id"`
	PartyID   market.PartyID `json:"party_id"`
	Roles     []market.Role  `json:"roles"`
	ExpiresAt time.Time      `json:"expires_at"`
	// CSRFToken must accompany unsafe requests made with the session cookie,
	// in the X-CSRF-Token header.
	CSRFToken string `json:"csrf_token"`
}

// createSession logs in with email and password and sets the session cookie
// (HttpOnly, SameSite=Lax). Repeated failures for one email or from one
// address get 429 for a while (market.Accounts.LoginLimited, the limiter
// the pages share).
func (s *Server) createSession(c *gin.Context) {
	var req loginRequest
	if !s.bindJSON(c, &req) {
		return
	}
	secret, a, err := s.svc.Accounts.LoginLimited(c.Request.Context(), market.LoginAttempt{Email: req.Email,
		Password: req.Password, Party: req.PartyID, Client: c.ClientIP()})
	if err != nil {
		s.fail(c, err) // with Retry-After when the limiter refused
		return
	}
	s.setSessionCookie(c, secret, a.ExpiresAt)
	writeJSON(c, http.StatusCreated, sessionCreated{UserID: a.UserID, PartyID: a.PartyID, Roles: a.Roles, ExpiresAt: a.ExpiresAt, CSRFToken: a.CSRFToken})
}

func (s *Server) setSessionCookie(c *gin.Context, value string, expires time.Time) {
	ck := &http.Cookie{
		Name: SessionCookie, Value: value, Path: "/", Expires: expires,
		HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: s.cfg.SecureCookies || c.Request.TLS != nil,
	}
	if value == "" {
		ck.MaxAge = -1
	}
	http.SetCookie(c.Writer, ck)
}

// deleteSession logs out: the session is revoked and the cookie cleared.
func (s *Server) deleteSession(c *gin.Context) {
	if err := s.svc.Accounts.Logout(c.Request.Context(), actor(c)); err != nil {
		s.fail(c, err)
		return
	}
	s.setSessionCookie(c, "", time.Unix(0, 0))
	c.Status(http.StatusNoContent)
}

type tokenRequest struct {
	Name       string `json:"name"`
	TTLSeconds int64  `json:"ttl_seconds"`
}

type tokenCreated struct {
	market.Token
	// Secret is the bearer token. It is shown once, here, and never again.
	Secret string `json:"token"`
}

// createToken issues an API token for the caller's user and party.
func (s *Server) createToken(c *gin.Context) {
	var req tokenRequest
	if !s.bindJSON(c, &req) {
		return
	}
	if req.TTLSeconds < 0 || req.TTLSeconds > int64(10*366*24*3600) {
		s.fail(c, market.Invalid("ttl_seconds", "invalid_ttl", "ttl_seconds is out of range"))
		return
	}
	t, secret, err := s.svc.Accounts.CreateToken(c.Request.Context(), actor(c), req.Name, time.Duration(req.TTLSeconds)*time.Second)
	if err != nil {
		s.fail(c, err)
		return
	}
	writeJSON(c, http.StatusCreated, tokenCreated{Token: t, Secret: secret})
}

// listTokens lists the caller's API tokens in its party (never their secrets).
func (s *Server) listTokens(c *gin.Context) {
	ts, err := s.svc.Accounts.Tokens(c.Request.Context(), actor(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	writeJSON(c, http.StatusOK, gin.H{"tokens": ts})
}

// deleteToken revokes one of the caller's tokens.
func (s *Server) deleteToken(c *gin.Context) {
	id, err := market.ParseTokenID("id", c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := s.svc.Accounts.RevokeToken(c.Request.Context(), actor(c), id); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// me tells the caller who it is: user, party, roles and credential.
func (s *Server) me(c *gin.Context) {
	m, err := s.svc.Accounts.Me(c.Request.Context(), actor(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	writeJSON(c, http.StatusOK, m)
}

// getParty reads a party: its own members and regulators only.
func (s *Server) getParty(c *gin.Context) {
	id, err := market.ParsePartyID("id", c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	p, err := s.svc.Accounts.Party(c.Request.Context(), actor(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	writeJSON(c, http.StatusOK, p)
}

type addUserRequest struct {
	User  market.NewUser `json:"user"`
	Roles []market.Role  `json:"roles"`
}

// addUser adds a user to a party: a member, with roles it holds itself, to
// its own party; an operator to any.
func (s *Server) addUser(c *gin.Context) {
	id, err := market.ParsePartyID("id", c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	var req addUserRequest
	if !s.bindJSON(c, &req) {
		return
	}
	by := actor(c)
	u, err := s.svc.Accounts.AddUser(c.Request.Context(), &by, id, req.User, req.Roles)
	if err != nil {
		s.fail(c, err)
		return
	}
	writeJSON(c, http.StatusCreated, u)
}

// retryAfter returns the seconds to wait of a login refused by the limiter.
func retryAfter(err error, me **market.Error) (int, bool) {
	if !errors.As(err, me) {
		return 0, false
	}
	ra, ok := (*me).Details.(market.RetryAfter)
	return ra.Seconds, ok
}
