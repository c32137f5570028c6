package httpapi

import (
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/shujiao/shujiao/internal/delivery"
	"github.com/shujiao/shujiao/market"
)

// deliveryRoutes registers an order's delivery and its download links.
func (s *Server) deliveryRoutes(g v1Groups) {
	g.Authed.GET("/orders/:id/delivery", s.getDelivery)
	g.Authed.GET("/downloads/:token", s.download)
}

// getDelivery answers with a fresh download link to the order's sealed
// delivery (delivery.Service.Link: encrypted to the buyer's registered key
// and signed by the platform key). While it is being sealed in the
// background it answers 202 with Retry-After and the state. A buyer
// without a key is told how to register one (409 pgp_key_required).
func (s *Server) getDelivery(c *gin.Context) {
	id, err := pathID(c, "order")
	if err != nil {
		s.fail(c, err)
		return
	}
	link, err := s.svc.Orders.Delivery.Link(c.Request.Context(), actor(c), id)
	var sealing *delivery.Sealing
	if errors.As(err, &sealing) {
		secs := int(math.Ceil(sealing.RetryAfter.Seconds()))
		c.Header("Retry-After", strconv.Itoa(secs))
		writeJSON(c, http.StatusAccepted, deliveryPending{OrderID: id.String(), State: market.DeliverySealing, RetryAfter: secs})
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	writeJSON(c, http.StatusOK, link)
}

// deliveryPending is the 202 answer while a delivery is being sealed.
type deliveryPending struct {
	OrderID    string               `json:"order_id"`
	State      market.DeliveryState `json:"state"`
	RetryAfter int                  `json:"retry_after_seconds"`
}

// download streams the encrypted delivery behind a download token to a
// buyer of the party it was issued to, before it expires.
func (s *Server) download(c *gin.Context) {
	d, rc, err := s.svc.Orders.Delivery.Open(c.Request.Context(), actor(c), c.Param("token"))
	if err != nil {
		s.fail(c, err)
		return
	}
	defer rc.Close()
	c.Header("Content-Type", "application/pgp-encrypted")
	c.Header("Content-Disposition", `attachment; filename="order-`+d.OrderID.String()+`.tar.asc"`)
	c.Header("Content-Length", fmt.Sprint(d.SizeBytes))
	c.Status(http.StatusOK)
	if _, err := io.Copy(c.Writer, rc); err != nil && !errors.Is(err, io.ErrClosedPipe) {
		s.log.Error("download: stream delivery", "order_id", d.OrderID.String(), "error", err.Error())
	}
}
