package web

import (
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/internal/httpapi"
	"github.com/shujiao/shujiao/internal/trace"
	"github.com/shujiao/shujiao/market"
)

// Tracer traces a leaked file to the orders whose fingerprinted copies it
// came from (trace.Service, the API's POST /v1/regulator/trace).
type Tracer interface {
	Trace(ctx context.Context, actor market.Actor, leak trace.Leak, listing uuid.UUID) (*trace.Report, error)
}

// traceRoutes registers the regulator's trace page.
func (h *Handler) traceRoutes() {
	h.handle("GET "+Prefix+"/regulator/trace", h.traceForm)
	h.handle("POST "+Prefix+"/regulator/trace", h.traceLeak)
}

// traceView is the trace page: the form, and the report once a file was traced.
type traceView struct {
	Report *trace.Report
}

// traceForm shows the upload form (regulators only).
func (h *Handler) traceForm(rc *reqCtx) error {
	if _, err := rc.require(market.RoleRegulator); err != nil {
		return err
	}
	return rc.render(http.StatusOK, "reg_trace", "trace.title", &page{Data: traceView{}})
}

// traceLeak reads the uploaded leak (the multipart form carries the CSRF
// token first, as the dataset upload does) and shows the report with its
// evidence; a file that is not a table is shown as a field error.
func (h *Handler) traceLeak(rc *reqCtx) error {
	rc.r.Body = http.MaxBytesReader(rc.w, rc.r.Body, httpapi.MaxLeakUpload+1<<20)
	mt, _, err := mime.ParseMediaType(rc.r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		return market.Invalid("file", "missing_file", "upload the leaked file as multipart/form-data")
	}
	mr, err := rc.r.MultipartReader()
	if err != nil {
		return market.Invalid("file", "missing_file", "the body is not a valid multipart form")
	}
	var listing uuid.UUID
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return h.traceFailed(rc, market.Invalid("file", "missing_file", "file: choose a file"))
		}
		if err != nil {
			return h.traceFailed(rc, market.Invalid("file", "upload_interrupted", "the upload was interrupted or too large"))
		}
		switch part.FormName() {
		case httpapi.CSRFField:
			tok, _ := io.ReadAll(io.LimitReader(part, 256))
			if err := h.multipartActor(rc, string(tok)); err != nil {
				return err
			}
		case "listing":
			v, _ := io.ReadAll(io.LimitReader(part, 64))
			if s := strings.TrimSpace(string(v)); s != "" {
				if listing, err = uuid.Parse(s); err != nil {
					return h.traceFailed(rc, market.Invalid("listing", "invalid_listing", "listing: not a listing ID"))
				}
			}
		case "file":
			a, err := rc.require(market.RoleRegulator)
			if err != nil {
				return err
			}
			name := strings.TrimSpace(part.FileName())
			if name == "" {
				return h.traceFailed(rc, market.Invalid("file", "missing_file", "file: choose a file"))
			}
			data, err := io.ReadAll(part)
			if err != nil {
				return h.traceFailed(rc, market.Invalid("file", "upload_too_large", "the file is larger than the limit"))
			}
			if h.deps.Trace == nil {
				return market.Errorf(market.ErrConflict, "trace_unavailable", "this server does not keep fingerprinted copies")
			}
			rep, err := h.deps.Trace.Trace(rc.r.Context(), a, trace.Leak{Name: name, Data: data}, listing)
			if err != nil {
				return h.traceFailed(rc, err)
			}
			return rc.render(http.StatusOK, "reg_trace", "trace.title", &page{Data: traceView{Report: rep}})
		}
		part.Close()
	}
}

// traceFailed shows the form again with the problem next to its field; an
// error that is not about the input fails the page.
func (h *Handler) traceFailed(rc *reqCtx, err error) error {
	var me *market.Error
	if !errors.As(err, &me) || (!errors.Is(err, market.ErrInvalid) && !errors.Is(err, market.ErrNotFound)) {
		return err
	}
	field := me.Field
	if field == "" {
		field = "file"
	}
	return rc.render(http.StatusBadRequest, "reg_trace", "trace.title", &page{Data: traceView{}, Errors: map[string]string{field: me.Message}})
}
