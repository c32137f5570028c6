package httpapi

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/gin-gonic/gin"
)

const (
	requestIDHeader = "X-Request-Id"
	requestIDKey    = "shujiao.request_id"
)

// requestID takes the caller's X-Request-Id when it is short and plain, or
// makes one, and echoes it in the response.
func (s *Server) requestID(c *gin.Context) {
	id := c.GetHeader(requestIDHeader)
	if !plainID(id) {
		var b [12]byte
		_, _ = rand.Read(b[:])
		id = hex.EncodeToString(b[:])
	}
	c.Set(requestIDKey, id)
	c.Header(requestIDHeader, id)
	c.Next()
}

func plainID(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

// requestIDOf returns the request's id.
func requestIDOf(c *gin.Context) string { return c.GetString(requestIDKey) }

// accessLog writes one log line per request, after it, with the error of a
// 5xx response, and records the HTTP metrics.
func (s *Server) accessLog(c *gin.Context) {
	start := time.Now()
	c.Next()
	d := time.Since(start)
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	status := c.Writer.Status()
	s.metrics.observe(c.Request.Method, route, status, d)
	attrs := []slog.Attr{
		slog.String("request_id", requestIDOf(c)),
		slog.String("method", c.Request.Method),
		slog.String("path", redactedPath(c)),
		slog.String("route", route),
		slog.Int("status", status),
		slog.Int("bytes", c.Writer.Size()),
		slog.Float64("duration_ms", float64(d.Microseconds())/1000),
		slog.String("client_ip", c.ClientIP()),
	}
	if a, ok := callerOf(c); ok {
		attrs = append(attrs, slog.String("user_id", a.UserID.String()), slog.String("party_id", a.PartyID.String()))
	}
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelError
		if len(c.Errors) > 0 {
			attrs = append(attrs, slog.String("error", c.Errors.String()))
		}
	}
	s.log.LogAttrs(c.Request.Context(), level, "http request", attrs...)
}

// recoverPanic turns a panic in a handler into a 500 problem; the panic
// value and stack go to the log only.
func (s *Server) recoverPanic(c *gin.Context) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler { // the client went away: let net/http handle it
				panic(v)
			}
			s.log.Error("http: panic in handler", "request_id", requestIDOf(c), "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			if !c.Writer.Written() {
				s.fail(c, fmt.Errorf("panic: %v", v))
			} else {
				c.Abort()
			}
		}
	}()
	c.Next()
}

// limitBody refuses bodies larger than the route's limit with 413 before
// reading them when Content-Length says so, and caps the body reader for
// the rest (chunked bodies, lying lengths).
func (s *Server) limitBody(c *gin.Context) {
	limit := s.cfg.MaxBodyBytes
	if n, ok := s.bodyLimits[c.FullPath()]; ok {
		limit = n
	}
	if c.Request.ContentLength > limit {
		s.fail(c, &httpError{http.StatusRequestEntityTooLarge, "body_too_large", fmt.Sprintf("the body is larger than %d bytes", limit)})
		return
	}
	if c.Request.Body != nil {
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
	}
	c.Next()
}
