package httpapi

import (
	"errors"
	"math"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"github.com/shujiao/shujiao/internal/ledger"
	"github.com/shujiao/shujiao/market"
)

// LedgerServices back the ledger and money routes.
type LedgerServices struct {
	// Log reads entries, signs heads and builds proofs.
	Log ledger.Log
}

// ledgerRoutes registers the transaction ledger's proofs and heads, and the
// money accounts (routes_accounts_money.go).
func (s *Server) ledgerRoutes(g v1Groups) {
	g.Authed.GET("/ledger/heads/latest", s.latestHead)
	g.Authed.POST("/ledger/heads", requireRole(market.RoleRegulator, market.RoleOperator), s.headQuota(), s.signHead)
	// GET /ledger/entries: routes_ledger_public.go (public with start/end, else authenticated)
	g.Authed.GET("/ledger/entries/:id/proof", s.headQuota(), s.ledgerProof)
	g.Authed.GET("/ledger/consistency", s.ledgerConsistency)
	s.moneyRoutes(g)
}

// seesAllLedger reports whether the actor may read every party's entries.
func seesAllLedger(a market.Actor) bool { return a.CanAny(market.RoleRegulator, market.RoleOperator) }

// latestHead answers with the latest signed tree head.
func (s *Server) latestHead(c *gin.Context) {
	h, err := s.svc.Ledger.Log.LatestHead(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	writeJSON(c, http.StatusOK, h)
}

// signHead signs a head over the whole tree now (regulator, operator): 201
// with a new head, 200 when the latest head already covers every entry.
func (s *Server) signHead(c *gin.Context) {
	ctx := c.Request.Context()
	before, err := s.svc.Ledger.Log.LatestHead(ctx)
	if err != nil && !errors.Is(err, market.ErrNotFound) {
		s.fail(c, err)
		return
	}
	h, err := s.svc.Ledger.Log.SignHead(ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	status := http.StatusCreated
	if before.Signature != "" && before.Size == h.Size {
		status = http.StatusOK
	}
	writeJSON(c, status, h)
}

type ledgerEntryList struct {
	Entries []ledger.StoredEntry `json:"entries"`
	// Next is the "before" cursor of the next page (absent on the last page).
	Next int64 `json:"next,omitempty"`
}

// listLedgerEntries lists entries, newest first: the caller's own party's,
// or any party's for regulators and operators (?party_id=, ?subject_id=,
// ?kind=, ?limit=, ?before=).
func (s *Server) listLedgerEntries(c *gin.Context) {
	a := actor(c)
	var f ledger.Filter
	var err error
	if f.PartyID, err = uuidParam(c, "party_id"); err != nil {
		s.fail(c, err)
		return
	}
	if f.SubjectID, err = uuidParam(c, "subject_id"); err != nil {
		s.fail(c, err)
		return
	}
	if !seesAllLedger(a) {
		if f.PartyID != uuid.Nil && f.PartyID != uuid.UUID(a.PartyID) {
			s.fail(c, a.RequireReadParty(market.PartyID(f.PartyID)))
			return
		}
		f.PartyID = uuid.UUID(a.PartyID)
	}
	f.Kind = c.Query("kind")
	if f.Limit, err = intParam(c, "limit"); err != nil {
		s.fail(c, err)
		return
	}
	before, err := intParam(c, "before")
	if err != nil {
		s.fail(c, err)
		return
	}
	f.Before = int64(before)
	es, err := s.svc.Ledger.Log.Entries(c.Request.Context(), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	out := ledgerEntryList{Entries: es}
	if out.Entries == nil {
		out.Entries = []ledger.StoredEntry{}
	}
	limit := f.Limit
	if limit == 0 {
		limit = 100
	}
	if n := len(es); n > 0 && n == min(limit, 1000) {
		out.Next = es[n-1].Seq
	}
	writeJSON(c, http.StatusOK, out)
}

type inclusionProof struct {
	Entry ledger.StoredEntry `json:"entry"`
	// LeafData is the exact text hashed into the leaf: SHA-256(0x00 ‖ leaf_data).
	LeafData string `json:"leaf_data"`
	ledger.InclusionProof
}

// ledgerProof answers with an inclusion proof of one entry against the
// latest signed head (integrating it and signing a head first if needed).
func (s *Server) ledgerProof(c *gin.Context) {
	ctx := c.Request.Context()
	id, err := uuid.Parse(c.Param("id"))
	if err != nil {
		s.fail(c, market.Invalid("id", "invalid_id", "entry id %q is not a UUID", c.Param("id")))
		return
	}
	e, err := s.svc.Ledger.Log.Entry(ctx, id)
	if err == nil && !seesAllLedger(actor(c)) && e.PartyID != uuid.UUID(actor(c).PartyID) {
		err = market.Errorf(market.ErrNotFound, "not_found", "no ledger entry %s", id)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	p, err := s.svc.Ledger.Log.Proof(ctx, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	data, err := ledger.LeafData(e.Entry, p.LeafIndex)
	if err != nil {
		s.fail(c, err)
		return
	}
	e.LeafIndex = &p.LeafIndex
	writeJSON(c, http.StatusOK, inclusionProof{Entry: e, LeafData: string(data), InclusionProof: p})
}

// ledgerConsistency answers with a consistency proof between two tree
// sizes (?from=&to=; to defaults to the latest signed head).
func (s *Server) ledgerConsistency(c *gin.Context) {
	ctx := c.Request.Context()
	from, err := sizeParam(c, "from")
	if err != nil {
		s.fail(c, err)
		return
	}
	if c.Query("from") == "" {
		s.fail(c, market.Invalid("from", "missing_parameter", "from (a tree size) is required"))
		return
	}
	to, err := sizeParam(c, "to")
	if err != nil {
		s.fail(c, err)
		return
	}
	if c.Query("to") == "" {
		h, err := s.svc.Ledger.Log.LatestHead(ctx)
		if err != nil {
			s.fail(c, err)
			return
		}
		to = h.Size
	}
	p, err := s.svc.Ledger.Log.Consistency(ctx, from, to)
	if err != nil {
		s.fail(c, err)
		return
	}
	writeJSON(c, http.StatusOK, p)
}

func uuidParam(c *gin.Context, name string) (uuid.UUID, error) {
	v := c.Query(name)
	if v == "" {
		return uuid.Nil, nil
	}
	id, err := uuid.Parse(v)
	if err != nil {
		return uuid.Nil, market.Invalid(name, "invalid_parameter", "%s %q is not a UUID", name, v)
	}
	return id, nil
}

func intParam(c *gin.Context, name string) (int, error) {
	v := c.Query(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, market.Invalid(name, "invalid_parameter", "%s: want a whole number from 0 to %d", name, math.MaxInt64)
	}
	return n, nil
}

func sizeParam(c *gin.Context, name string) (uint64, error) {
	n, err := intParam(c, name)
	return uint64(n), err
}
