package httpapi

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/shujiao/shujiao/market"
)

// listingResourceRoutes registers the listings themselves: create, read,
// change, submit and move through the state machine.
func (s *Server) listingResourceRoutes(g v1Groups) {
	g.Authed.POST("/listings", requireRole(market.RoleSeller), s.createListing)
	g.Authed.GET("/listings", s.listListings)
	g.Authed.GET("/listings/:id", s.getListing)
	g.Authed.PATCH("/listings/:id", requireRole(market.RoleSeller), s.patchListing)
	g.Authed.POST("/listings/:id/submit", requireRole(market.RoleSeller), s.submitListing)
	g.Authed.POST("/listings/:id/transitions", s.transitionListing)
}

func (s *Server) listings() *market.Listings { return s.uc.listings }

// createListing stores a draft listing: the body is the listing
// declaration (market.Listing, as in `shujiao check-listing`) with an
// optional "price" (decimal CNY).
func (s *Server) createListing(c *gin.Context) {
	var obj map[string]json.RawMessage
	if !s.bindJSON(c, &obj) {
		return
	}
	in, err := listingInput(obj)
	if err != nil {
		s.fail(c, err)
		return
	}
	l, err := s.listings().Create(c.Request.Context(), actor(c), in, s.svc.Listings.now())
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Location", "/v1/listings/"+l.ID.String())
	writeJSON(c, http.StatusCreated, l)
}

// listingInput splits a request object into the declaration (validated by
// market.ParseListing, unknown keys refused) and the price.
func listingInput(obj map[string]json.RawMessage) (market.ListingInput, error) {
	var in market.ListingInput
	if raw, ok := obj["price"]; ok {
		delete(obj, "price")
		if string(raw) != "null" {
			var m market.Money
			if err := json.Unmarshal(raw, &m); err != nil {
				return in, market.Invalid("price", "invalid_price", "price: %s", err.Error())
			}
			if m.IsNegative() || m.Decimal().Exponent() < -2 {
				return in, market.Invalid("price", "invalid_price", "price: %s, want a non-negative amount with at most 2 decimal places", raw)
			}
			in.Price = &m
		}
	}
	b, err := json.Marshal(obj)
	if err != nil {
		return in, err
	}
	in.Declaration, err = market.ParseListing(b)
	return in, err
}

func (s *Server) listListings(c *gin.Context) {
	f := market.ListingFilter{State: market.ListingState(c.Query("state"))}
	if p := c.Query("party_id"); p != "" {
		id, err := market.ParsePartyID("party_id", p)
		if err != nil {
			s.fail(c, err)
			return
		}
		f.PartyID = &id
	}
	var err error
	if f.Limit, f.Offset, err = page(c); err != nil {
		s.fail(c, err)
		return
	}
	ls, err := s.listings().List(c.Request.Context(), actor(c), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	writeJSON(c, http.StatusOK, gin.H{"items": ls})
}

// maxPage bounds page, so that the offset it makes never overflows.
const maxPage = 1_000_000

// page reads page (1-based, at most maxPage) and page_size (default 20, at
// most 100).
func page(c *gin.Context) (limit, offset int, err error) {
	p, size := 1, 20
	if v := c.Query("page"); v != "" {
		if p, err = strconv.Atoi(v); err != nil || p < 1 || p > maxPage {
			return 0, 0, market.Invalid("page", "invalid_page", "page: want a whole number from 1 to %d", maxPage)
		}
	}
	if v := c.Query("page_size"); v != "" {
		if size, err = strconv.Atoi(v); err != nil || size < 1 || size > 100 {
			return 0, 0, market.Invalid("page_size", "invalid_page", "page_size: want a whole number from 1 to 100")
		}
	}
	return size, (p - 1) * size, nil
}

func (s *Server) getListing(c *gin.Context) {
	id, err := pathID(c, "listing")
	if err == nil {
		var l *market.ListingRecord
		if l, err = s.listings().Get(c.Request.Context(), actor(c), id); err == nil {
			writeJSON(c, http.StatusOK, l)
			return
		}
	}
	s.fail(c, err)
}

// patchListing applies a JSON merge patch (RFC 7396) to the declaration
// and price of an editable listing.
func (s *Server) patchListing(c *gin.Context) {
	id, err := pathID(c, "listing")
	if err != nil {
		s.fail(c, err)
		return
	}
	var patch map[string]json.RawMessage
	if !s.bindJSON(c, &patch) {
		return
	}
	l, err := s.listings().Update(c.Request.Context(), actor(c), id, func(cur market.ListingInput) (market.ListingInput, error) {
		doc, err := json.Marshal(cur.Declaration)
		if err != nil {
			return cur, err
		}
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(doc, &obj); err != nil {
			return cur, err
		}
		if cur.Price != nil {
			obj["price"], _ = json.Marshal(cur.Price)
		}
		merged, err := mergePatch(obj, patch)
		if err != nil {
			return cur, err
		}
		return listingInput(merged)
	}, s.svc.Listings.now())
	if err != nil {
		s.fail(c, err)
		return
	}
	writeJSON(c, http.StatusOK, l)
}

// transitionRequest asks for a move of the listing state machine, by
// action ("suspend") or by target state ("suspended").
type transitionRequest struct {
	Action market.Action       `json:"action"`
	To     market.ListingState `json:"to"`
	Reason string              `json:"reason"`
}

func (s *Server) submitListing(c *gin.Context) {
	var req transitionRequest
	if !s.bindOptionalJSON(c, &req) {
		return
	}
	s.moveListing(c, market.ActionSubmit, req.Reason)
}

func (s *Server) transitionListing(c *gin.Context) {
	var req transitionRequest
	if !s.bindJSON(c, &req) {
		return
	}
	action := req.Action
	if action == "" {
		id, err := pathID(c, "listing")
		if err != nil {
			s.fail(c, err)
			return
		}
		cur, err := s.listings().Get(c.Request.Context(), actor(c), id)
		if err != nil {
			s.fail(c, err)
			return
		}
		if action = actionTo(cur.State, req.To); action == "" {
			s.fail(c, market.Invalid("to", "invalid_transition_target",
				"to: no action takes a %s listing to %q; send action (submit, approve, reject, suspend, reinstate, delist)", cur.State, req.To))
			return
		}
	}
	s.moveListing(c, action, req.Reason)
}

// actionTo returns the action that takes a listing in state from to state to.
func actionTo(from, to market.ListingState) market.Action {
	switch to {
	case market.StateSubmitted:
		return market.ActionSubmit
	case market.StateSuspended:
		return market.ActionSuspend
	case market.StateDelisted:
		return market.ActionDelist
	case market.StateBlocked:
		return market.ActionReject
	case market.StateListed:
		if from == market.StateUnderReview {
			return market.ActionApprove
		}
		return market.ActionReinstate
	}
	return ""
}

func (s *Server) moveListing(c *gin.Context, action market.Action, reason string) {
	id, err := pathID(c, "listing")
	if err == nil {
		var l *market.ListingRecord
		l, err = s.listings().Transition(c.Request.Context(), actor(c), id, action, reason, s.svc.Listings.now())
		if err == nil {
			writeJSON(c, http.StatusOK, l)
			return
		}
	}
	s.fail(c, err)
}

// bindOptionalJSON is bindJSON for a body that may be empty.
func (s *Server) bindOptionalJSON(c *gin.Context, v any) bool {
	if c.Request.ContentLength == 0 || c.Request.Body == nil {
		return true
	}
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		s.fail(c, bodyReadError(err))
		return false
	}
	if len(body) == 0 {
		return true
	}
	c.Request.Body = io.NopCloser(bytes.NewReader(body))
	return s.bindJSON(c, v)
}
