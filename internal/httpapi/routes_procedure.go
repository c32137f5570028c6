package httpapi

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/shujiao/shujiao/market"
)

// procedureRoutes registers the Administrative Penalty Law procedure of a
// case: the regulator walks it under /v1/regulator/cases/{id}/procedure;
// the party concerned reads its own and takes its steps (statement,
// waive, request_hearing, pay, challenge) under /v1/cases/{id}/procedure.
// The service checks role and party; the rules are market.Procedure's.
func (s *Server) procedureRoutes(g v1Groups) {
	r := g.Authed.Group("/regulator", requireRole(market.RoleRegulator))
	r.GET("/cases/:id/procedure", s.getProcedure)
	r.POST("/cases/:id/procedure", s.stepProcedure)
	r.GET("/cases/:id/procedure/documents/:kind", s.procedureDocument)
	p := g.Authed.Group("/cases", requireRole(market.RoleSeller))
	p.GET("/:id/procedure", s.getProcedure)
	p.POST("/:id/procedure", s.partyStepProcedure)
}

// errNoProcedures is the wiring error of a server built without the service.
var errNoProcedures = errors.New("the procedure service is not configured")

func (s *Server) getProcedure(c *gin.Context) {
	id, err := pathID(c, "case")
	if err == nil && s.svc.Procedures == nil {
		err = errNoProcedures
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	p, err := s.svc.Procedures.Get(c.Request.Context(), actor(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	writeJSON(c, http.StatusOK, p)
}

func (s *Server) stepProcedure(c *gin.Context) { s.takeStep(c, false) }

func (s *Server) partyStepProcedure(c *gin.Context) { s.takeStep(c, true) }

// takeStep decodes a step and takes it; on the party's route only the
// party's own steps are accepted (403 forbidden_step otherwise).
func (s *Server) takeStep(c *gin.Context, partyRoute bool) {
	id, err := pathID(c, "case")
	if err == nil && s.svc.Procedures == nil {
		err = errNoProcedures
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	var st market.ProcedureStep
	if !s.bindJSON(c, &st) {
		return
	}
	if partyRoute && !st.Action.PartyAction() {
		s.fail(c, market.Errorf(market.ErrForbidden, "forbidden_step", "%q is the regulator's step; the party may state, waive, request_hearing, pay or challenge", st.Action))
		return
	}
	p, err := s.svc.Procedures.Step(c.Request.Context(), actor(c), id, st)
	if err != nil {
		s.fail(c, err)
		return
	}
	writeJSON(c, http.StatusOK, p)
}
