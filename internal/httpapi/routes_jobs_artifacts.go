package httpapi

import (
	"io"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/shujiao/shujiao/market"
)

// artifactRoutes registers the released files of de-identification jobs,
// for their seller and regulators (buyers receive them through delivery).
func (s *Server) artifactRoutes(g v1Groups) {
	g.Authed.GET("/artifacts/:id", s.getArtifact)
	g.Authed.GET("/artifacts/:id/file", s.getArtifactFile)
}

func (s *Server) artifact(c *gin.Context) (*market.Artifact, bool) {
	id, err := pathID(c, "artifact")
	if err == nil {
		var a *market.Artifact
		a, err = s.uc.datasets.Artifact(c.Request.Context(), actor(c), id)
		if err == nil {
			return a, true
		}
	}
	s.fail(c, err)
	return nil, false
}

func (s *Server) getArtifact(c *gin.Context) {
	if a, ok := s.artifact(c); ok {
		writeJSON(c, http.StatusOK, a)
	}
}

// getArtifactFile streams the decrypted release. The store checks the
// plaintext's SHA-256 at the end; a file found altered is cut off (the
// connection is aborted) rather than completed.
func (s *Server) getArtifactFile(c *gin.Context) {
	a, ok := s.artifact(c)
	if !ok {
		return
	}
	rc, err := s.svc.Listings.Blobs.Open(a.SHA256)
	if err != nil {
		s.fail(c, err)
		return
	}
	defer rc.Close()
	c.Header("Content-Type", "application/octet-stream")
	c.Header("Content-Length", strconv.FormatInt(a.SizeBytes, 10))
	c.Header("Content-Disposition", `attachment; filename="`+asciiName(a.Name)+`"`)
	c.Header("X-Content-SHA256", a.SHA256)
	c.Status(http.StatusOK)
	if _, err := io.Copy(c.Writer, rc); err != nil {
		s.log.Error("artifacts: stream release", "artifact_id", a.ID, "err", err)
		panic(http.ErrAbortHandler)
	}
}

// asciiName keeps a file name safe for a quoted header value.
func asciiName(name string) string {
	out := make([]rune, 0, len(name))
	for _, r := range name {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			r = '_'
		}
		out = append(out, r)
	}
	return string(out)
}
