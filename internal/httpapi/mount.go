package httpapi

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// Mount serves h under prefix (such as "/ui") for components outside this
// package, the web pages for one. Requests pass the same request id, access
// log, panic recovery and body limit as the API, and are identified the same
// way: the caller, if any, is on the request's context
// (market.ActorFromContext). Authentication is not required — h decides (a
// page redirects to its login form rather than answering 401) — and an
// unsafe request made with a session cookie but without the session's CSRF
// token (header X-CSRF-Token or form field csrf_token) arrives anonymous.
// Call Mount before serving; it is not safe to call concurrently with
// requests.
func (s *Server) Mount(prefix string, h http.Handler) {
	prefix = "/" + strings.Trim(prefix, "/")
	wrapped := gin.WrapH(h)
	g := s.engine.Group(prefix, s.authenticate)
	g.Any("", wrapped)
	g.Any("/*path", wrapped)
}
