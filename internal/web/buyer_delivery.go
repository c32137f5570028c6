package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/shujiao/shujiao/market"
)

// downloadOrder gets the order's download link from the API's own route,
// GET /v1/orders/{id}/delivery — which seals the delivery (the certified
// release, its certificate, signature and the platform key, encrypted to
// the buyer's key) and issues a one-hour link for the buyer's party — called
// in-process with the visitor's own session, and sends the browser to the
// link. The form posts with the CSRF token, so a link cannot be minted by
// another site; the download itself is a GET the session may make.
func (h *Handler) downloadOrder(rc *reqCtx) error {
	if _, err := rc.require(market.RoleBuyer); err != nil {
		return err
	}
	id, err := rc.pathID("id")
	if err != nil {
		return err
	}
	if h.deps.API == nil {
		return market.Errorf(market.ErrConflict, "delivery_unavailable", "deliveries are served by the API, which these pages were built without")
	}
	req, err := http.NewRequestWithContext(rc.r.Context(), http.MethodGet, "/v1/orders/"+id.String()+"/delivery", nil)
	if err != nil {
		return err
	}
	for _, c := range rc.r.Cookies() {
		req.AddCookie(c)
	}
	req.RemoteAddr = rc.r.RemoteAddr
	rec := &recorder{header: http.Header{}}
	h.deps.API.ServeHTTP(rec, req)
	if rec.status == http.StatusOK {
		var link struct {
			DownloadURL string `json:"download_url"`
		}
		if err := json.Unmarshal(rec.body.Bytes(), &link); err != nil || !strings.HasPrefix(link.DownloadURL, "/v1/downloads/") {
			return market.Errorf(market.ErrConflict, "delivery_unavailable", "the delivery answered without a download link")
		}
		return rc.redirect(link.DownloadURL)
	}
	var p struct {
		Code string `json:"code"`
	}
	_ = json.Unmarshal(rec.body.Bytes(), &p)
	msg := rc.t("error.conflict_detail")
	if c := catalogues[rc.lang]; c.has("err." + p.Code) {
		msg = c.get("err." + p.Code)
	}
	if rec.status >= 500 {
		h.log.Error("web: delivery failed", "order_id", id.String(), "status", rec.status, "code", p.Code)
		msg = rc.t("error.internal_detail")
	}
	return h.renderOrder(rc, rec.status, msg)
}

// recorder keeps the API's answer to an in-process request.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}
