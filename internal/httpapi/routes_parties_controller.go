package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/shujiao/shujiao/market"
)

// setPartyController records whether the party's controlling party is
// overseas (Shaanxi Art. 72: then what it buys is exported): the party
// declares it itself; a regulator or an operator corrects it, with a
// reason (market.Accounts.SetControllerOverseas).
func (s *Server) setPartyController(c *gin.Context) {
	id, err := market.ParsePartyID("id", c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	var req market.ControllerDeclaration
	if !s.bindJSON(c, &req) {
		return
	}
	p, err := s.svc.Accounts.SetControllerOverseas(c.Request.Context(), actor(c), id, req)
	if err != nil {
		s.fail(c, err)
		return
	}
	writeJSON(c, http.StatusOK, p)
}
