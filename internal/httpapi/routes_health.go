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

// readyz: the process can serve, its database answers.
func (s *Server) readyz(c *gin.Context) {
	if s.db != nil {
		ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
		defer cancel()
		if err := s.db.Ping(ctx); err != nil {
			s.log.Warn("readyz: database does not answer", "error", err.Error())
			s.fail(c, &httpError{http.StatusServiceUnavailable, "not_ready", "the database does not answer"})
			return
		}
	}
	writeJSON(c, http.StatusOK, gin.H{"status": "ready"})
}
