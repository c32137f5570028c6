package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/shujiao/shujiao/market"
)

// sellerCaseRoutes registers the sellers' side: the flags raised against
// their own party and the correction orders served on it, and their
// responses. A seller never sees another party's flags or orders.
func (s *Server) sellerCaseRoutes(g v1Groups) {
	g.Authed.GET("/flags", requireRole(market.RoleSeller), s.partyFlags)
	g.Authed.GET("/correction-orders", requireRole(market.RoleSeller), s.partyCorrectionOrders)
	g.Authed.POST("/correction-orders/:id/response", requireRole(market.RoleSeller), s.respondToCorrection)
}

func (s *Server) partyFlags(c *gin.Context) {
	f, err := flagFilter(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	flags, err := s.cases().PartyFlags(c.Request.Context(), actor(c), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	writeJSON(c, http.StatusOK, gin.H{"flags": flags})
}

func (s *Server) partyCorrectionOrders(c *gin.Context) {
	orders, err := s.cases().PartyCorrectionOrders(c.Request.Context(), actor(c), s.svc.Cases.now())
	if err != nil {
		s.fail(c, err)
		return
	}
	writeJSON(c, http.StatusOK, gin.H{"correction_orders": orders})
}

func (s *Server) respondToCorrection(c *gin.Context) {
	id, err := pathID(c, "correction_order")
	if err != nil {
		s.fail(c, err)
		return
	}
	var req market.ResponseRequest
	if !s.bindJSON(c, &req) {
		return
	}
	o, err := s.cases().Respond(c.Request.Context(), actor(c), id, req, s.svc.Cases.now())
	if err != nil {
		s.fail(c, err)
		return
	}
	writeJSON(c, http.StatusCreated, o)
}
