package httpapi

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/shujiao/shujiao/internal/delivery"
	"github.com/shujiao/shujiao/internal/pgp"
	"github.com/shujiao/shujiao/market"
)

// OrderServices back the price-plan, quote, order, delivery and OpenPGP
// key routes.
type OrderServices struct {
	// Key is the platform key, published by GET /v1/platform/pgp-key.
	Key *pgp.Key
	// Delivery seals deliveries and serves their download links.
	Delivery *delivery.Service
	// Orders places orders and moves them (market.Orders).
	Orders *market.Orders
	// ExportFilings registers the sellers' export filings (Shaanxi Art. 72;
	// routes_export_filings.go).
	ExportFilings *market.ExportFilings
	// Now is the clock (default time.Now).
	Now func() time.Time
}

func (o *OrderServices) now() time.Time {
	if o.Now != nil {
		return o.Now().UTC()
	}
	return time.Now().UTC()
}

// orderRoutes registers price plans, quotes, orders, deliveries and the
// parties' OpenPGP keys.
func (s *Server) orderRoutes(g v1Groups) {
	s.pricePlanRoutes(g)
	s.quoteRoutes(g)
	g.Authed.POST("/orders", requireRole(market.RoleBuyer), s.flagQuota(), s.createOrder)
	g.Authed.GET("/orders", s.listOrders)
	g.Authed.GET("/orders/:id", s.getOrder)
	g.Authed.POST("/orders/:id/accept", s.moveOrder(market.OrderActionAccept))
	g.Authed.POST("/orders/:id/cancel", s.moveOrder(market.OrderActionCancel))
	g.Authed.POST("/orders/:id/dispute", s.moveOrder(market.OrderActionDispute))
	g.Authed.POST("/orders/:id/refund", s.moveOrder(market.OrderActionRefund))
	g.Authed.POST("/orders/auto-settlement", requireRole(market.RoleOperator), s.autoSettle)
	s.deliveryRoutes(g)
	s.pgpKeyRoutes(g)
}

// IdempotencyHeader carries the client's key for POST /v1/orders.
const IdempotencyHeader = "Idempotency-Key"

// createOrder places and pays an order from a quote: 201 the first time,
// 200 with the same order when the Idempotency-Key is sent again. The
// delivery is sealed in the background (delivery.state: sealing); GET
// /v1/orders/{id}/delivery answers 202 until it is ready.
func (s *Server) createOrder(c *gin.Context) {
	var req market.OrderRequest
	if !s.bindJSON(c, &req) {
		return
	}
	ctx := c.Request.Context()
	o, replayed, err := s.svc.Orders.Orders.Place(ctx, actor(c), c.GetHeader(IdempotencyHeader), req)
	if err != nil {
		s.fail(c, err)
		return
	}
	status := http.StatusCreated
	if replayed {
		status = http.StatusOK
	}
	c.Header("Location", "/v1/orders/"+o.ID.String())
	writeJSON(c, status, o)
}

type orderList struct {
	Orders []*market.Order `json:"orders"`
}

// listOrders lists the orders the caller may see (?as=buyer|seller,
// ?state=, ?listing_id=, ?limit=, ?offset=).
func (s *Server) listOrders(c *gin.Context) {
	f := market.OrderFilter{As: c.Query("as"), State: market.OrderState(c.Query("state"))}
	var err error
	if f.ListingID, err = uuidParam(c, "listing_id"); err != nil {
		s.fail(c, err)
		return
	}
	if f.Limit, err = intParam(c, "limit"); err != nil {
		s.fail(c, err)
		return
	}
	if f.Offset, err = intParam(c, "offset"); err != nil {
		s.fail(c, err)
		return
	}
	os, err := s.svc.Orders.Orders.List(c.Request.Context(), actor(c), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	writeJSON(c, http.StatusOK, orderList{Orders: os})
}

// getOrder answers with one order, to its buyer, its seller, regulators
// and operators.
func (s *Server) getOrder(c *gin.Context) {
	id, err := pathID(c, "order")
	if err != nil {
		s.fail(c, err)
		return
	}
	o, err := s.svc.Orders.Orders.Get(c.Request.Context(), actor(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	writeJSON(c, http.StatusOK, o)
}

type orderMoveRequest struct {
	Reason string `json:"reason"`
}

// moveOrder returns the handler of one order action: accept (buyer:
// settles to the seller minus the fee), cancel (buyer, before delivery:
// refund), dispute (buyer, with a reason), refund (seller or operator).
func (s *Server) moveOrder(action market.OrderAction) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, err := pathID(c, "order")
		if err != nil {
			s.fail(c, err)
			return
		}
		var req orderMoveRequest
		if c.Request.ContentLength != 0 && !s.bindJSON(c, &req) {
			return
		}
		o, err := s.svc.Orders.Orders.Move(c.Request.Context(), actor(c), id, action, req.Reason)
		if err != nil {
			s.fail(c, err)
			return
		}
		writeJSON(c, http.StatusOK, o)
	}
}

type autoSettlement struct {
	Settled  int       `json:"settled"`
	Refunded int       `json:"refunded"`
	At       time.Time `json:"at"`
}

// autoSettle settles every delivered order whose settlement date has come
// and refunds every paid order not delivered by its deadline (operator;
// the server also runs it every minute).
func (s *Server) autoSettle(c *gin.Context) {
	now := s.svc.Orders.now()
	settled, refunded, err := s.svc.Orders.Orders.Sweep(c.Request.Context(), 0)
	if err != nil {
		s.fail(c, err)
		return
	}
	writeJSON(c, http.StatusOK, autoSettlement{Settled: settled, Refunded: refunded, At: now})
}
