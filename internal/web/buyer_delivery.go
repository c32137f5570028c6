package web

import (
	"errors"
	"net/http"

	"github.com/shujiao/shujiao/internal/delivery"
	"github.com/shujiao/shujiao/internal/errkind"
	"github.com/shujiao/shujiao/market"
)

// downloadOrder seals the order's delivery when needed (the certified
// release, its certificate, signature and the platform key, encrypted to
// the buyer's key), issues a one-hour link for the buyer's party through
// the same delivery service as GET /v1/orders/{id}/delivery, and sends the
// browser to the link. The form posts with the CSRF token, so a link
// cannot be minted by another site; the download itself is a GET the
// session may make. A refusal (no key yet, nothing certified) is shown on
// the order page with the API's status.
func (h *Handler) downloadOrder(rc *reqCtx) error {
	a, err := rc.require(market.RoleBuyer)
	if err != nil {
		return err
	}
	id, err := rc.pathID("id")
	if err != nil {
		return err
	}
	if h.deps.Delivery == nil {
		return market.Errorf(market.ErrConflict, "delivery_unavailable", "these pages were built without the delivery service")
	}
	link, err := h.deps.Delivery.Link(rc.r.Context(), a, id)
	if err == nil {
		return rc.redirect(link.DownloadURL)
	}
	var sealing *delivery.Sealing
	if errors.As(err, &sealing) {
		// being sealed in the background: the order page says so
		return h.renderOrder(rc, http.StatusAccepted, "")
	}
	k, ok := errkind.Of(err)
	if !ok {
		return err
	}
	msg, _ := rc.explain(err)
	return h.renderOrder(rc, k.Status, msg)
}
