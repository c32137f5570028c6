package httpapi

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/shujiao/shujiao/market"
)

// ruleSetRoutes registers the versioned rule set of the gates.
func (s *Server) ruleSetRoutes(g v1Groups) {
	g.Authed.GET("/rulesets/current", s.getRuleSet)
	g.Authed.PUT("/rulesets/current", requireRole(market.RoleOperator), s.putRuleSet)
}

func (s *Server) getRuleSet(c *gin.Context) {
	rs, err := s.svc.Stores.RuleSets.CurrentRuleSet(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("ETag", strconv.Quote(strconv.Itoa(rs.Version)))
	writeJSON(c, http.StatusOK, rs)
}

// putRuleSet stores the body as the next rule-set version (an operator's
// edit). Its version must be the current one + 1, or be omitted (then it
// is the next one; the store checks it again under a lock).
func (s *Server) putRuleSet(c *gin.Context) {
	store := s.svc.Stores.RuleSets
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		s.fail(c, bodyReadError(err))
		return
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(body, &obj); err != nil || obj == nil {
		s.fail(c, &httpError{http.StatusBadRequest, "invalid_json", "the body must be a rule-set JSON object"})
		return
	}
	if _, ok := obj["version"]; !ok {
		cur, err := store.CurrentRuleSet(c.Request.Context())
		if err != nil {
			s.fail(c, err)
			return
		}
		obj["version"] = json.RawMessage(strconv.Itoa(cur.Version + 1))
		body, _ = json.Marshal(obj)
	}
	rs, err := market.ParseRuleSet(body)
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := s.uc.rulesets.Put(c.Request.Context(), actor(c), rs, s.svc.Listings.now()); err != nil {
		s.fail(c, err)
		return
	}
	c.Header("ETag", strconv.Quote(strconv.Itoa(rs.Version)))
	writeJSON(c, http.StatusOK, rs)
}
