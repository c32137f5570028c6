package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/shujiao/shujiao/internal/errkind"
	"github.com/shujiao/shujiao/market"
)

// Problem is an RFC 9457 problem details object, extended with a stable
// machine-readable Code, the Article of law when a rule refused the request,
// the input Field at fault and the request id.
type Problem struct {
	Type      string `json:"type"`
	Title     string `json:"title"`
	Status    int    `json:"status"`
	Detail    string `json:"detail,omitempty"`
	Instance  string `json:"instance,omitempty"`
	Code      string `json:"code"`
	Article   string `json:"article,omitempty"`
	Field     string `json:"field,omitempty"`
	RequestID string `json:"request_id,omitempty"`
	Details   any    `json:"details,omitempty"`
}

// problemContentType is the media type of problem details (RFC 9457 §3).
const problemContentType = "application/problem+json"

// httpError is an error of the HTTP layer itself (a malformed body, an
// unknown route) with its own status.
type httpError struct {
	status int
	code   string
	msg    string
}

func (e *httpError) Error() string { return e.msg }

// problemFor builds the problem details for err. Errors of no known kind are
// 500 "internal error": their text never reaches the client.
func problemFor(err error) Problem {
	var he *httpError
	if errors.As(err, &he) {
		return Problem{Status: he.status, Code: he.code, Title: http.StatusText(he.status), Detail: he.msg}
	}
	if k, ok := errkind.Of(err); ok {
		p := Problem{Status: k.Status, Code: k.Code, Title: k.Title, Detail: k.Err.Error()}
		var me *market.Error
		if errors.As(err, &me) {
			if me.Code != "" {
				p.Code = me.Code
			}
			p.Detail, p.Article, p.Field, p.Details = me.Error(), me.Article, me.Field, me.Details
		}
		return p
	}
	return Problem{Status: http.StatusInternalServerError, Code: "internal_error", Title: "Internal Server Error", Detail: "internal error"}
}

// fail answers the request with the problem details for err and aborts the
// chain. A 5xx error is recorded for the access log (the full error goes to
// the log only, the client sees "internal error" and the request id).
func (s *Server) fail(c *gin.Context, err error) {
	p := problemFor(err)
	var me *market.Error
	if secs, ok := retryAfter(err, &me); ok { // a limiter's refusal says when to come back
		c.Header("Retry-After", strconv.Itoa(max(secs, 1)))
	}
	if p.Status >= 500 {
		_ = c.Error(err)
	}
	if p.Status == http.StatusInternalServerError && s.databaseDown(c) {
		// Not the request's fault nor a bug: the database is gone (as
		// /readyz says); the client may try again, here or elsewhere.
		p = Problem{Status: http.StatusServiceUnavailable, Code: "database_unavailable", Title: "Service Unavailable",
			Detail: "the database does not answer; try again later"}
		c.Header("Retry-After", "5")
	}
	writeProblem(c, p)
}

// databaseDown reports whether the database does not answer a ping within
// a second (checked only when a request failed with an unknown error).
func (s *Server) databaseDown(c *gin.Context) bool {
	if s.db == nil {
		return false
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.Request.Context()), time.Second)
	defer cancel()
	return s.db.Ping(ctx) != nil
}

func writeProblem(c *gin.Context, p Problem) {
	p.Type = "urn:shujiao:problem:" + p.Code
	p.Instance = c.Request.URL.Path
	p.RequestID = requestIDOf(c)
	if p.Status == http.StatusUnauthorized {
		c.Header("WWW-Authenticate", `Bearer realm="shujiao"`)
	}
	b, err := json.Marshal(p)
	if err != nil { // Details that do not marshal: drop them, keep the rest
		p.Details = nil
		b, _ = json.Marshal(p)
	}
	c.Abort()
	c.Data(p.Status, problemContentType, b)
}

func (s *Server) noRoute(c *gin.Context) {
	s.fail(c, &httpError{http.StatusNotFound, "route_not_found", "no route " + c.Request.URL.Path})
}

func (s *Server) noMethod(c *gin.Context) {
	s.fail(c, &httpError{http.StatusMethodNotAllowed, "method_not_allowed",
		"method " + c.Request.Method + " is not allowed on " + c.Request.URL.Path})
}
