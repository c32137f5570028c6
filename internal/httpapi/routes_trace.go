package httpapi

import (
	"context"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"github.com/shujiao/shujiao/internal/trace"
	"github.com/shujiao/shujiao/market"
)

// Tracer traces a leaked file back to the orders whose fingerprinted
// copies it came from (trace.Service). It checks the actor's role.
type Tracer interface {
	Trace(ctx context.Context, actor market.Actor, leak trace.Leak, listing uuid.UUID) (*trace.Report, error)
}

var _ Tracer = (*trace.Service)(nil)

// MaxLeakUpload is the largest leaked file a regulator uploads to trace.
const MaxLeakUpload = 256 << 20

// traceRoutes registers POST /v1/regulator/trace (regulators only).
func (s *Server) traceRoutes(g v1Groups) {
	s.setBodyLimit("/v1/regulator/trace", MaxLeakUpload+1<<20)
	g.Authed.POST("/regulator/trace", requireRole(market.RoleRegulator), s.traceLeak)
}

// traceLeak reads the multipart part "file" (a leaked CSV, TSV, XLSX or
// JSON Lines table) and answers with the trace report: the verdict, the
// candidate orders with their false-match probabilities, and the evidence.
// ?listing=ID narrows the search to one listing's copies.
func (s *Server) traceLeak(c *gin.Context) {
	if s.svc.Trace == nil {
		s.fail(c, &httpError{http.StatusServiceUnavailable, "trace_unavailable", "this server does not keep fingerprinted copies"})
		return
	}
	var listing uuid.UUID
	if q := c.Query("listing"); q != "" {
		id, err := uuid.Parse(q)
		if err != nil {
			s.fail(c, market.Invalid("listing", "invalid_listing", "listing %q: not a listing ID", q))
			return
		}
		listing = id
	}
	leak, err := readLeakUpload(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	rep, err := s.svc.Trace.Trace(c.Request.Context(), actor(c), leak, listing)
	if err != nil {
		s.fail(c, err)
		return
	}
	writeJSON(c, http.StatusOK, rep)
}

// readLeakUpload reads the "file" part of a multipart body, up to
// MaxLeakUpload bytes.
func readLeakUpload(c *gin.Context) (trace.Leak, error) {
	mt, _, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		return trace.Leak{}, &httpError{http.StatusUnsupportedMediaType, "unsupported_media_type", "upload the leaked file as multipart/form-data with a part named file"}
	}
	mr, err := c.Request.MultipartReader()
	if err != nil {
		return trace.Leak{}, &httpError{http.StatusBadRequest, "invalid_multipart", "the body is not a valid multipart form"}
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return trace.Leak{}, market.Invalid("file", "missing_file", "file: the form has no part named file")
		}
		if err != nil {
			return trace.Leak{}, uploadError(err, MaxLeakUpload)
		}
		if part.FormName() != "file" {
			part.Close()
			continue
		}
		data, err := io.ReadAll(&cappedReader{r: part, max: MaxLeakUpload})
		if err != nil {
			return trace.Leak{}, uploadError(err, MaxLeakUpload)
		}
		name := strings.TrimSpace(part.FileName())
		if name == "" {
			name = "leak.csv"
		}
		return trace.Leak{Name: name, Data: data}, nil
	}
}
