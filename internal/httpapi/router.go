package httpapi

import (
	"github.com/gin-gonic/gin"
)

// v1Groups are the two groups every /v1 route group registers on. Both
// identify the caller when credentials are sent.
type v1Groups struct {
	// Public routes may be called anonymously; callerOf(c) says whether the
	// caller authenticated.
	Public *gin.RouterGroup
	// Authed routes refuse anonymous callers with 401 (and session callers
	// without the CSRF token on unsafe methods with 403); actor(c) returns
	// the caller.
	Authed *gin.RouterGroup
}

// registerRoutes registers every route. Route groups add one line each, in
// the block below.
func (s *Server) registerRoutes(r *gin.Engine) {
	r.NoRoute(s.noRoute)
	r.NoMethod(s.noMethod)
	s.healthRoutes(r)

	v1 := r.Group("/v1", noStore, s.authenticate)
	g := v1Groups{Public: v1, Authed: v1.Group("", s.requireAuth)}

	s.accountRoutes(g)
	s.listingRoutes(g)
	s.ledgerRoutes(g)
	s.publicLedgerRoutes(g)
	s.regulatorRoutes(g)
	s.orderRoutes(g)
	s.exportFilingRoutes(g)
	s.govDataRoutes(g)
	s.ckanRoutes(r)
	s.procedureRoutes(g)
	s.traceRoutes(g)
	// One line per route group below: s.listingRoutes(g), s.orderRoutes(g), …
}

// noStore keeps API responses out of caches.
func noStore(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	c.Header("X-Content-Type-Options", "nosniff")
	c.Next()
}
