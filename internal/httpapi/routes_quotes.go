package httpapi

import (
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"github.com/shujiao/shujiao/market"
)

// maxAuditUpload limits an imported trade file sent to the batch audit.
const maxAuditUpload = 256 << 20

// quoteRoutes registers quotes, sellers' negotiated prices and the batch
// Shaanxi Art. 37 audit of recorded trades.
func (s *Server) quoteRoutes(g v1Groups) {
	g.Authed.POST("/listings/:id/quotes", requireRole(market.RoleBuyer), s.flagQuota(), s.createQuote)
	g.Authed.GET("/quotes/:id", s.getQuote)
	g.Authed.POST("/quotes/:id/counter", requireRole(market.RoleSeller), s.counterQuote)
	g.Authed.POST("/regulator/audits/prices", requireRole(market.RoleRegulator), s.auditPrices)
	g.Authed.PUT("/parties/:id/credit-rating", requireRole(market.RoleOperator), s.putCreditRating)
	s.setBodyLimit("/v1/regulator/audits/prices", maxAuditUpload)
}

// quoteRequest is the buyer's transaction conditions of Shaanxi Art.
// 37(2), less credit: the credit rating is read from the buyer's party
// record, so a request that sends one is refused (unknown field).
type quoteRequest struct {
	Security       market.Security `json:"security"`
	Cost           market.Cost     `json:"cost"`
	Stage          market.Stage    `json:"stage"`
	DurationMonths int             `json:"duration_months"`
}

// createQuote prices the buyer's conditions from the listing's current
// plan: 201 with a quote valid 15 minutes.
func (s *Server) createQuote(c *gin.Context) {
	id, err := pathID(c, "listing")
	if err != nil {
		s.fail(c, err)
		return
	}
	var req quoteRequest
	if !s.bindJSON(c, &req) {
		return
	}
	a := actor(c)
	channel := "api"
	if a.ViaSession() {
		channel = "web"
	}
	conds := market.Conditions{Security: req.Security, Cost: req.Cost, Stage: req.Stage, DurationMonths: req.DurationMonths}
	q, err := s.uc.quotes.Create(c.Request.Context(), a, id, conds, channel, s.svc.Orders.now())
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Location", "/v1/quotes/"+q.ID.String())
	writeJSON(c, http.StatusCreated, q)
}

// getQuote answers with a quote to its buyer, its seller, regulators and
// operators.
func (s *Server) getQuote(c *gin.Context) {
	id, err := pathTypedID[market.QuoteID](c, "quote")
	if err != nil {
		s.fail(c, err)
		return
	}
	q, err := s.uc.quotes.Get(c.Request.Context(), actor(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	writeJSON(c, http.StatusOK, q)
}

type counterRequest struct {
	UnitPrice market.Money `json:"unit_price"`
}

// counterQuote offers the seller's negotiated unit price as a new quote,
// checked under Shaanxi Art. 37 like the engine's: 201, or 422
// price_unexplained with the evidence when no exception explains it.
func (s *Server) counterQuote(c *gin.Context) {
	id, err := pathTypedID[market.QuoteID](c, "quote")
	if err != nil {
		s.fail(c, err)
		return
	}
	var req counterRequest
	if !s.bindJSON(c, &req) {
		return
	}
	q, err := s.uc.quotes.Counter(c.Request.Context(), actor(c), id, req.UnitPrice, s.svc.Orders.now())
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Location", "/v1/quotes/"+q.ID.String())
	writeJSON(c, http.StatusCreated, q)
}

type auditRequest struct {
	ListingID uuid.UUID `json:"listing_id"`
	Since     time.Time `json:"since"`
}

// auditPrices runs the batch Shaanxi Art. 37 audit (regulators): with a
// JSON body (or none), over the platform's recorded trades, optionally of
// one listing and since a time; with a text/csv or application/jsonl body,
// over trades recorded elsewhere (docs/pricing.md). Findings are raised as
// flags for regulators, once each.
func (s *Server) auditPrices(c *gin.Context) {
	ctx := c.Request.Context()
	svc := s.svc.Orders
	mt, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type"))
	var res market.PriceAudit
	var err error
	switch mt {
	case "text/csv", "application/jsonl", "application/x-ndjson":
		trades, rerr := market.ReadTrades(c.Request.Body, "body")
		if rerr != nil {
			s.fail(c, rerr)
			return
		}
		res, err = s.uc.quotes.AuditImported(ctx, actor(c), trades, svc.now())
	default:
		var req auditRequest
		if c.Request.ContentLength != 0 && !s.bindJSON(c, &req) {
			return
		}
		res, err = s.uc.quotes.AuditRecorded(ctx, actor(c), req.ListingID, req.Since, svc.now())
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	writeJSON(c, http.StatusOK, res)
}

type creditRating struct {
	PartyID      market.PartyID      `json:"party_id,omitzero"`
	CreditRating market.CreditRating `json:"credit_rating"`
	Reason       string              `json:"reason"`
}

// putCreditRating records a party's credit rating (operators): the credit
// factor of Shaanxi Art. 37(2) that every later quote of the party reads.
func (s *Server) putCreditRating(c *gin.Context) {
	party, err := partyParam(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	var req creditRating
	if !s.bindJSON(c, &req) {
		return
	}
	req.Reason = strings.TrimSpace(req.Reason)
	if err := s.uc.quotes.RateCredit(c.Request.Context(), actor(c), party, req.CreditRating, req.Reason, s.svc.Orders.now()); err != nil {
		s.fail(c, err)
		return
	}
	req.PartyID = party
	writeJSON(c, http.StatusOK, req)
}
