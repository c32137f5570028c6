package httpapi

import (
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"
)

// deliveryRoutes registers an order's delivery and its download links.
func (s *Server) deliveryRoutes(g v1Groups) {
	g.Authed.GET("/orders/:id/delivery", s.getDelivery)
	g.Authed.GET("/downloads/:token", s.download)
}

// getDelivery answers with a fresh download link to the order's sealed
// delivery (delivery.Service.Link: sealed when needed, encrypted to the
// buyer's registered key and signed by the platform key). A buyer without
// a key is told how to register one (409 pgp_key_required).
func (s *Server) getDelivery(c *gin.Context) {
	id, err := pathID(c, "order")
	if err != nil {
		s.fail(c, err)
		return
	}
	link, err := s.svc.Orders.Delivery.Link(c.Request.Context(), actor(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	writeJSON(c, http.StatusOK, link)
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
