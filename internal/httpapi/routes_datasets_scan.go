package httpapi

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/shujiao/shujiao/internal/jobs"
	"github.com/shujiao/shujiao/market"
)

// rescanDataset scans the values of the caller's stored dataset again
// under the rule set in force (Shaanxi Art. 36(3), market.ContentScans):
// a dataset uploaded before values were scanned, or scanned with value
// patterns since changed, then stands on fresh evidence.
func (s *Server) rescanDataset(c *gin.Context) {
	// A rescan reads the whole stored file (up to the upload limit), after
	// waiting for a profiling slot: longer than the server's write timeout.
	rc := http.NewResponseController(c.Writer)
	_ = rc.SetWriteDeadline(time.Now().Add(2*time.Hour + time.Minute))
	id, err := pathID(c, "dataset")
	if err == nil {
		scans := market.NewContentScans(s.svc.Stores.Datasets, s.svc.Stores.RuleSets, jobs.Scanner{Blobs: s.svc.Listings.Blobs})
		var d *market.Dataset
		if d, err = scans.Rescan(c.Request.Context(), actor(c), id); err == nil {
			writeJSON(c, http.StatusOK, d)
			return
		}
	}
	s.fail(c, err)
}
