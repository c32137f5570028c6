package httpapi

import (
	"math"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/shujiao/shujiao/market"
)

// pricePlanRoutes registers the versioned price plan of a listing.
func (s *Server) pricePlanRoutes(g v1Groups) {
	g.Authed.PUT("/listings/:id/price-plan", requireRole(market.RoleSeller), s.putPricePlan)
	g.Authed.GET("/listings/:id/price-plan", s.getPricePlan)
}

// putPricePlan publishes the body (docs/pricing.md; id, seller_id,
// listing_id and version are set by the server) as the listing's next
// plan version: 201 with the stored plan.
func (s *Server) putPricePlan(c *gin.Context) {
	id, err := pathID(c, "listing")
	if err != nil {
		s.fail(c, err)
		return
	}
	var plan market.PricePlan
	if !s.bindJSON(c, &plan) {
		return
	}
	rec, err := s.uc.quotes.PublishPlan(c.Request.Context(), actor(c), id, &plan, s.svc.Orders.now())
	if err != nil {
		s.fail(c, err)
		return
	}
	writeJSON(c, http.StatusCreated, rec)
}

// getPricePlan answers with the listing's current plan, or ?version=N,
// to anyone who may see the listing.
func (s *Server) getPricePlan(c *gin.Context) {
	id, err := pathID(c, "listing")
	if err != nil {
		s.fail(c, err)
		return
	}
	v, err := intParam(c, "version")
	if err == nil && v > math.MaxInt32 { // a plan version is a PostgreSQL integer
		err = market.Invalid("version", "invalid_parameter", "version: want a whole number from 0 to %d", math.MaxInt32)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	if _, err := s.listings().Get(ctx, actor(c), id); err != nil {
		s.fail(c, err)
		return
	}
	rec, err := s.svc.Stores.Quotes.PricePlan(ctx, id, v)
	if err != nil {
		s.fail(c, err)
		return
	}
	writeJSON(c, http.StatusOK, rec)
}
