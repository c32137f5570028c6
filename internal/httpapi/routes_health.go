package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// healthRoutes registers the probes and the metrics, outside /v1 and without
// authentication.
func (s *Server) healthRoutes(r *gin.Engine) {
	r.GET("/healthz", s.healthz)
	r.GET("/readyz", s.readyz)
	r.GET("/metrics", s.metricsHandler())
}

// healthz: the process is up.
func (s *Server) healthz(c *gin.Context) {
	writeJSON(c, http.StatusOK, gin.H{"status": "ok", "version": s.cfg.Version})
}

// readyz: the process can serve, its database answers. When the database
// does not (stopped, unreachable, the private PostgreSQL of another serve
// gone), it answers 503 problem+json not_ready, so that a load balancer
// sends the traffic to the other servers. A read replica that does not
// answer is reported (replica: down) without failing the probe: every
// server shares it, and only the catalog routes it serves fail meanwhile.
func (s *Server) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	if s.db != nil {
		if err := s.db.Ping(ctx); err != nil {
			s.log.Warn("readyz: database does not answer", "error", err.Error())
			s.fail(c, &httpError{http.StatusServiceUnavailable, "not_ready", "the database does not answer"})
			return
		}
	}
	out := gin.H{"status": "ready"}
	if s.replica != nil {
		out["replica"] = "ok"
		if err := s.replica.Ping(ctx); err != nil {
			s.log.Warn("readyz: the read replica does not answer", "error", err.Error())
			out["replica"] = "down"
		}
	}
	writeJSON(c, http.StatusOK, out)
}
