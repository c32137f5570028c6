package httpapi

import (
	"io"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/shujiao/shujiao/market"
)

// calendarRoutes registers the working-day calendar's years: anyone
// signed in reads a year (deadlines depend on it); operators add or
// replace one.
func (s *Server) calendarRoutes(g v1Groups) {
	g.Authed.GET("/calendar/years/:year", s.getCalendarYear)
	g.Authed.PUT("/calendar/years/:year", requireRole(market.RoleOperator), s.putCalendarYear)
}

func yearParam(c *gin.Context) (int, error) {
	y, err := strconv.Atoi(c.Param("year"))
	if err != nil || len(c.Param("year")) != 4 {
		return 0, market.Invalid("year", "invalid_year", "year: %q is not a four-digit year", c.Param("year"))
	}
	return y, nil
}

func (s *Server) getCalendarYear(c *gin.Context) {
	y, err := yearParam(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	cy, err := s.svc.Stores.Calendar.CalendarYear(c.Request.Context(), y)
	if err != nil {
		s.fail(c, err)
		return
	}
	writeJSON(c, http.StatusOK, cy)
}

func (s *Server) putCalendarYear(c *gin.Context) {
	y, err := yearParam(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		s.fail(c, bodyReadError(err))
		return
	}
	cy, err := s.uc.calendar.PutYear(c.Request.Context(), actor(c), y, body, s.svc.Cases.now())
	if err != nil {
		s.fail(c, err)
		return
	}
	writeJSON(c, http.StatusOK, cy)
}
