package httpapi

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/market"
)

// ruleSetRoutes registers the versioned rule set of the gates.
func (s *Server) ruleSetRoutes(g v1Groups) {
	g.Authed.GET("/rulesets/current", s.getRuleSet)
	g.Authed.PUT("/rulesets/current", requireRole(market.RoleOperator), s.putRuleSet)
}

func (s *Server) getRuleSet(c *gin.Context) {
	rs, err := postgres.NewRuleSetStore(s.svc.Listings.DB).CurrentRuleSet(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("ETag", strconv.Quote(strconv.Itoa(rs.Version)))
	writeJSON(c, http.StatusOK, rs)
}

// putRuleSet stores the body as the next rule-set version (an operator's
// edit). Its version must be the current one + 1, or be omitted.
func (s *Server) putRuleSet(c *gin.Context) {
	var probe map[string]json.RawMessage
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		s.fail(c, bodyReadError(err))
		return
	}
	if err := json.Unmarshal(body, &probe); err != nil || probe == nil {
		s.fail(c, &httpError{http.StatusBadRequest, "invalid_json", "the body must be a rule-set JSON object"})
		return
	}
	if _, ok := probe["version"]; !ok {
		probe["version"] = json.RawMessage("0")
	}
	// version 0 passes validation only once the store fills it in
	vers := probe["version"]
	probe["version"] = json.RawMessage("1")
	b, _ := json.Marshal(probe)
	rs, err := market.ParseRuleSet(b)
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := json.Unmarshal(vers, &rs.Version); err != nil {
		s.fail(c, market.Invalid("version", "invalid_ruleset", "version: want an integer"))
		return
	}
	if err := postgres.NewRuleSetStore(s.svc.Listings.DB).PutRuleSet(c.Request.Context(), actor(c), rs, s.svc.Listings.now()); err != nil {
		s.fail(c, err)
		return
	}
	c.Header("ETag", strconv.Quote(strconv.Itoa(rs.Version)))
	writeJSON(c, http.StatusOK, rs)
}
