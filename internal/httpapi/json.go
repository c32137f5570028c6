package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/shujiao/shujiao/market"
)

// bindJSON decodes the request body, a single JSON object, into v. Unknown
// fields, trailing data and a body that is not JSON are refused. On failure
// it answers with a problem (400 invalid_json, 413 body_too_large, 415
// unsupported_media_type) and returns false: the handler just returns.
func (s *Server) bindJSON(c *gin.Context, v any) bool {
	if err := decodeJSON(c.Request, v); err != nil {
		s.fail(c, err)
		return false
	}
	return true
}

func decodeJSON(r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return &httpError{http.StatusUnsupportedMediaType, "unsupported_media_type", "the body must be application/json"}
		}
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return bodyReadError(err)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return &httpError{http.StatusBadRequest, "invalid_json", "the body is empty; send a JSON object"}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return valueError(body, jsonError(err))
	}
	if dec.More() {
		return &httpError{http.StatusBadRequest, "invalid_json", "the body holds more than one JSON value"}
	}
	return nil
}

// bodyReadError turns a failed body read into 413 when the limit was hit.
func bodyReadError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return &httpError{http.StatusRequestEntityTooLarge, "body_too_large", fmt.Sprintf("the body is larger than %d bytes", mbe.Limit)}
	}
	return &httpError{http.StatusBadRequest, "invalid_body", "the body could not be read"}
}

// jsonError describes a decoding error without echoing Go type names.
func jsonError(err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return &httpError{http.StatusBadRequest, "invalid_json", fmt.Sprintf("malformed JSON at byte %d", se.Offset)}
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			return &httpError{http.StatusBadRequest, "invalid_json", "the body must be a JSON object"}
		}
		return &httpError{http.StatusBadRequest, "invalid_json", fmt.Sprintf("field %s: wrong type (got JSON %s)", field, te.Value)}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &httpError{http.StatusBadRequest, "invalid_json", "malformed JSON: the body ends early"}
	case errors.As(err, new(*market.Error)):
		return err // a value's own validation (an ID, an amount)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		// encoding/json has no typed error for this one
		return &httpError{http.StatusBadRequest, "unknown_field", "unknown field " + strings.TrimPrefix(err.Error(), "json: unknown field ")}
	case strings.HasPrefix(err.Error(), "json: "):
		return &httpError{http.StatusBadRequest, "invalid_json", "malformed JSON"}
	}
	// an UnmarshalJSON/UnmarshalText refused a value: valueError names
	// the field, in our words (a decimal parser's message is not shown)
	return &refusedValue{err}
}

// writeJSON answers with status and v as JSON.
func writeJSON(c *gin.Context, status int, v any) {
	c.JSON(status, v)
}
