package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/shujiao/shujiao/market"
	"github.com/shujiao/shujiao/market/govdata"
)

func (s *Server) govApply(c *gin.Context) {
	var n govdata.NewApplication
	if !s.bindJSON(c, &n) {
		return
	}
	a, err := s.gov().Apply(c.Request.Context(), actor(c), n)
	s.respond(c, http.StatusCreated, a, err)
}

// govApplications lists the caller's applications (made or to answer;
// all of them for a coordinator); overdue=true keeps the overdue ones.
func (s *Server) govApplications(c *gin.Context) {
	overdue := false
	switch c.Query("overdue") {
	case "", "false":
	case "true":
		overdue = true
	default:
		s.fail(c, market.Invalid("overdue", "invalid_query", "overdue: want true or false"))
		return
	}
	apps, err := s.gov().Applications(c.Request.Context(), actor(c), overdue)
	s.respond(c, http.StatusOK, gin.H{"items": apps}, err)
}

func (s *Server) govApplication(c *gin.Context) {
	id, err := pathID(c, "application")
	var a *govdata.Application
	if err == nil {
		a, err = s.gov().Application(c.Request.Context(), actor(c), id)
	}
	s.respond(c, http.StatusOK, a, err)
}

func (s *Server) govAccept(c *gin.Context) {
	id, err := pathID(c, "application")
	var a *govdata.Application
	if err == nil {
		a, err = s.gov().Accept(c.Request.Context(), actor(c), id)
	}
	s.respond(c, http.StatusOK, a, err)
}

// govAnswer provides (true) or refuses (false) an application; the body
// is an Answer.
func (s *Server) govAnswer(provide bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, err := pathID(c, "application")
		if err != nil {
			s.fail(c, err)
			return
		}
		var ans govdata.Answer
		if !s.bindJSON(c, &ans) {
			return
		}
		var a *govdata.Application
		if provide {
			a, err = s.gov().Provide(c.Request.Context(), actor(c), id, ans)
		} else {
			a, err = s.gov().Refuse(c.Request.Context(), actor(c), id, ans)
		}
		s.respond(c, http.StatusOK, a, err)
	}
}

func (s *Server) govEscalate(c *gin.Context) {
	id, err := pathID(c, "application")
	if err != nil {
		s.fail(c, err)
		return
	}
	var body struct {
		Reason string `json:"reason"`
	}
	if !s.bindJSON(c, &body) {
		return
	}
	a, err := s.gov().Escalate(c.Request.Context(), actor(c), id, body.Reason)
	s.respond(c, http.StatusOK, a, err)
}

// decisionBody is the coordinator's decision: provide or refuse, with the
// answer's terms.
type decisionBody struct {
	Decision string `json:"decision"`
	govdata.Answer
}

func (s *Server) govDecide(c *gin.Context) {
	id, err := pathID(c, "application")
	if err != nil {
		s.fail(c, err)
		return
	}
	var body decisionBody
	if !s.bindJSON(c, &body) {
		return
	}
	if body.Decision != "provide" && body.Decision != "refuse" {
		s.fail(c, market.Invalid("decision", "invalid_decision", "decision %q: want provide or refuse", body.Decision))
		return
	}
	a, err := s.gov().Decide(c.Request.Context(), actor(c), id, body.Decision == "provide", body.Answer)
	s.respond(c, http.StatusOK, a, err)
}

func (s *Server) govApprovals(c *gin.Context) {
	aps, err := s.gov().Approvals(c.Request.Context(), actor(c))
	s.respond(c, http.StatusOK, gin.H{"items": aps}, err)
}

func (s *Server) govApproval(c *gin.Context) {
	id, err := pathID(c, "approval")
	var ap *govdata.Approval
	if err == nil {
		ap, err = s.gov().Approval(c.Request.Context(), actor(c), id)
	}
	s.respond(c, http.StatusOK, ap, err)
}

func (s *Server) govObject(c *gin.Context) {
	var n govdata.NewObjection
	if !s.bindJSON(c, &n) {
		return
	}
	o, err := s.gov().Object(c.Request.Context(), actor(c), n)
	s.respond(c, http.StatusCreated, o, err)
}

func (s *Server) govObjections(c *gin.Context) {
	objs, err := s.gov().Objections(c.Request.Context(), actor(c))
	s.respond(c, http.StatusOK, gin.H{"items": objs}, err)
}

func (s *Server) govObjection(c *gin.Context) {
	id, err := pathID(c, "objection")
	var o *govdata.Objection
	if err == nil {
		o, err = s.gov().Objection(c.Request.Context(), actor(c), id)
	}
	s.respond(c, http.StatusOK, o, err)
}

func (s *Server) govVerify(c *gin.Context) {
	id, err := pathID(c, "objection")
	if err != nil {
		s.fail(c, err)
		return
	}
	var body struct {
		Upheld  bool   `json:"upheld"`
		Finding string `json:"finding"`
	}
	if !s.bindJSON(c, &body) {
		return
	}
	o, err := s.gov().Verify(c.Request.Context(), actor(c), id, body.Upheld, body.Finding)
	s.respond(c, http.StatusOK, o, err)
}

func (s *Server) govCorrect(c *gin.Context) {
	id, err := pathID(c, "objection")
	if err != nil {
		s.fail(c, err)
		return
	}
	var body govdata.Correction
	if !s.bindJSON(c, &body) {
		return
	}
	o, err := s.gov().Correct(c.Request.Context(), actor(c), id, body)
	s.respond(c, http.StatusOK, o, err)
}
