package httpapi

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"github.com/shujiao/shujiao/market"
)

// CaseServices is what the regulator, correction-order and calendar
// routes need.
type CaseServices struct {
	// Now is the clock (default time.Now): it dates decisions and decides
	// whether a correction deadline has passed.
	Now func() time.Time
}

func (cs *CaseServices) now() time.Time {
	if cs.Now != nil {
		return cs.Now().UTC()
	}
	return time.Now().UTC()
}

// caseServices returns the configured services (the system clock when
// none were configured).
func (s *Server) caseServices() *CaseServices {
	if s.svc.Cases == nil {
		s.svc.Cases = &CaseServices{}
	}
	return s.svc.Cases
}

func (s *Server) cases() *market.Cases { return s.uc.cases }

// regulatorRoutes registers the regulator's queue and cases (Shaanxi Art.
// 74, 75, 77), the sellers' side of flags and correction orders, and the
// working-day calendar. Only regulators reach /v1/regulator.
func (s *Server) regulatorRoutes(g v1Groups) {
	s.caseServices()
	r := g.Authed.Group("/regulator", requireRole(market.RoleRegulator))
	r.GET("/flags", s.regulatorFlags)
	r.GET("/flags/:id", s.regulatorFlag)
	r.POST("/cases", s.openCase)
	r.GET("/cases", s.listCases)
	r.GET("/cases/:id", s.getCase)
	r.POST("/cases/:id/notes", s.addCaseNote)
	r.POST("/cases/:id/decision", s.decideCase)
	r.POST("/cases/:id/penalty", s.computeCasePenalty)
	r.GET("/cases/:id/documents/:kind", s.caseDocument)
	s.sellerCaseRoutes(g)
	s.calendarRoutes(g)
}

// flagFilter reads the queue's filters: article, rule, party_id,
// listing_id, status, from, to (RFC 3339 or YYYY-MM-DD, China time),
// limit, offset.
func flagFilter(c *gin.Context) (market.FlagFilter, error) {
	f := market.FlagFilter{Article: c.Query("article"), Rule: c.Query("rule"), Status: market.FlagStatus(c.Query("status"))}
	var err error
	if f.PartyID, err = queryID[market.PartyID](c, "party_id"); err != nil {
		return f, err
	}
	if f.ListingID, err = queryUUID(c, "listing_id"); err != nil {
		return f, err
	}
	if f.From, err = queryTime(c, "from"); err != nil {
		return f, err
	}
	if f.To, err = queryTime(c, "to"); err != nil {
		return f, err
	}
	if f.Limit, err = queryInt(c, "limit"); err != nil {
		return f, err
	}
	f.Offset, err = queryInt(c, "offset")
	return f, err
}

// queryTime reads an RFC 3339 time, or a date (its midnight, China time).
func queryTime(c *gin.Context, name string) (time.Time, error) {
	v := c.Query(name)
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	if t, err := time.ParseInLocation(time.DateOnly, v, market.ChinaTime); err == nil {
		return t, nil
	}
	return time.Time{}, market.Invalid(name, "invalid_filter", "%s: %q is not a date (YYYY-MM-DD) or an RFC 3339 time", name, v)
}

// queryUUID reads an optional ID parameter.
func queryUUID(c *gin.Context, name string) (uuid.UUID, error) { return queryID[uuid.UUID](c, name) }

// queryID reads an optional ID query parameter as T (uuid.UUID or one of
// market's ID types); the zero ID when absent.
func queryID[T ~[16]byte](c *gin.Context, name string) (T, error) {
	v := c.Query(name)
	if v == "" {
		return T{}, nil
	}
	id, err := uuid.Parse(v)
	if err != nil || len(v) != 36 {
		return T{}, market.Invalid(name, "invalid_filter", "%s: %q is not an ID", name, v)
	}
	return T(id), nil
}

func queryInt(c *gin.Context, name string) (int, error) {
	v := c.Query(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, market.Invalid(name, "invalid_filter", "%s: %q is not a non-negative integer", name, v)
	}
	return n, nil
}

func (s *Server) regulatorFlags(c *gin.Context) {
	f, err := flagFilter(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	flags, err := s.svc.Stores.Flags.ListFlags(c.Request.Context(), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	writeJSON(c, http.StatusOK, gin.H{"flags": flags})
}

func (s *Server) regulatorFlag(c *gin.Context) {
	id, err := pathID(c, "flag")
	if err != nil {
		s.fail(c, err)
		return
	}
	f, err := s.svc.Stores.Flags.GetFlag(c.Request.Context(), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	writeJSON(c, http.StatusOK, f)
}

func (s *Server) openCase(c *gin.Context) {
	var req market.OpenCaseRequest
	if !s.bindJSON(c, &req) {
		return
	}
	cs, err := s.cases().Open(c.Request.Context(), actor(c), req, s.svc.Cases.now())
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Location", "/v1/regulator/cases/"+cs.ID.String())
	writeJSON(c, http.StatusCreated, cs)
}

func (s *Server) listCases(c *gin.Context) {
	f := market.CaseFilter{Status: market.CaseStatus(c.Query("status"))}
	if v := c.Query("party_id"); v != "" {
		p, err := market.ParsePartyID("party_id", v)
		if err != nil {
			s.fail(c, err)
			return
		}
		f.PartyID = p
	}
	var err error
	if f.Limit, err = queryInt(c, "limit"); err == nil {
		f.Offset, err = queryInt(c, "offset")
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	list, err := s.cases().List(c.Request.Context(), actor(c), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	writeJSON(c, http.StatusOK, gin.H{"cases": list})
}

func (s *Server) getCase(c *gin.Context) {
	id, err := pathID(c, "case")
	if err != nil {
		s.fail(c, err)
		return
	}
	cs, err := s.cases().Get(c.Request.Context(), actor(c), id, s.svc.Cases.now())
	if err != nil {
		s.fail(c, err)
		return
	}
	writeJSON(c, http.StatusOK, cs)
}

func (s *Server) addCaseNote(c *gin.Context) {
	id, err := pathID(c, "case")
	if err != nil {
		s.fail(c, err)
		return
	}
	var req market.NoteRequest
	if !s.bindJSON(c, &req) {
		return
	}
	n, err := s.cases().AddNote(c.Request.Context(), actor(c), id, req, s.svc.Cases.now())
	if err != nil {
		s.fail(c, err)
		return
	}
	writeJSON(c, http.StatusCreated, n)
}

func (s *Server) decideCase(c *gin.Context) {
	id, err := pathID(c, "case")
	if err != nil {
		s.fail(c, err)
		return
	}
	var req market.DecisionRequest
	if !s.bindJSON(c, &req) {
		return
	}
	ctx := c.Request.Context()
	cal, err := s.svc.Stores.Calendar.LoadCalendar(ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	cs, err := s.cases().Decide(ctx, actor(c), cal, id, req, s.svc.Cases.now())
	if err != nil {
		s.fail(c, err)
		return
	}
	writeJSON(c, http.StatusOK, cs)
}

func (s *Server) computeCasePenalty(c *gin.Context) {
	id, err := pathID(c, "case")
	if err != nil {
		s.fail(c, err)
		return
	}
	var req market.PenaltyRequest
	if c.Request.ContentLength != 0 && !s.bindJSON(c, &req) {
		return
	}
	cs, err := s.cases().ComputePenalty(c.Request.Context(), actor(c), id, req, s.svc.Cases.now())
	if err != nil {
		s.fail(c, err)
		return
	}
	writeJSON(c, http.StatusOK, cs)
}
