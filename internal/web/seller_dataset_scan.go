package web

import (
	"net/http"
	"time"

	"github.com/shujiao/shujiao/internal/jobs"
	"github.com/shujiao/shujiao/market"
)

// rescanDataset scans the values of the seller's stored dataset again under
// the rule set in force (Shaanxi Art. 36(3), market.ContentScans), as
// POST /v1/datasets/{id}/scan does: a dataset uploaded before values were
// scanned, or scanned with value patterns the rule set has since changed,
// holds its listings in review until then.
func (h *Handler) rescanDataset(rc *reqCtx) error {
	a, err := rc.require(market.RoleSeller)
	if err != nil {
		return err
	}
	id, err := rc.pathID("id")
	if err != nil {
		return err
	}
	if _, err := rc.form(); err != nil {
		return err
	}
	// The scan reads the whole stored file, after waiting for a profiling
	// slot: longer than the server's write timeout (as an upload).
	_ = http.NewResponseController(rc.w).SetWriteDeadline(time.Now().Add(2*time.Hour + time.Minute))
	scans := market.NewContentScans(h.deps.Stores.Datasets, h.deps.Stores.RuleSets, jobs.Scanner{Blobs: h.deps.Blobs})
	if _, err := scans.Rescan(rc.r.Context(), a, id); err != nil {
		return err
	}
	return rc.redirect(Prefix + "/seller/datasets/" + id.String() + "?notice=scanned#scan-h")
}
