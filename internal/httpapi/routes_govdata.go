package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/shujiao/shujiao/market"
	"github.com/shujiao/shujiao/market/govdata"
)

// govDataRoutes registers /v1/gov: the government data catalog (public
// search, metadata, DCAT and the downloads of open data), applications,
// approvals, objections and the coordinator's statistics. Absent when the
// server was built without the govdata service.
func (s *Server) govDataRoutes(g v1Groups) {
	pub := g.Public.Group("/gov", s.requireGovData)
	pub.GET("/catalog", s.govSearch)
	pub.GET("/catalog/dcat", s.govCatalogDCAT)
	pub.GET("/catalog/resources/:ref", s.govResource)
	pub.GET("/catalog/resources/:ref/versions", s.govVersions)
	pub.GET("/catalog/resources/:ref/dcat", s.govResourceDCAT)
	pub.GET("/catalog/resources/:ref/data.csv", s.govDownload("csv"))
	pub.GET("/catalog/resources/:ref/data.json", s.govDownload("json"))
	pub.GET("/catalog/resources/:ref/data.parquet", s.govDownload("parquet"))

	a := g.Authed.Group("/gov", s.requireGovData)
	a.POST("/catalog/resources", s.govCreateResource)
	a.PUT("/catalog/resources/:ref", s.govUpdateResource)
	a.PUT("/catalog/resources/:ref/data", s.govPutData)
	a.POST("/applications", s.govApply)
	a.GET("/applications", s.govApplications)
	a.GET("/applications/:id", s.govApplication)
	a.POST("/applications/:id/accept", s.govAccept)
	a.POST("/applications/:id/provide", s.govAnswer(true))
	a.POST("/applications/:id/refuse", s.govAnswer(false))
	a.POST("/applications/:id/escalate", s.govEscalate)
	a.POST("/applications/:id/decision", s.govDecide)
	a.GET("/approvals", s.govApprovals)
	a.GET("/approvals/:id", s.govApproval)
	a.POST("/objections", s.govObject)
	a.GET("/objections", s.govObjections)
	a.GET("/objections/:id", s.govObjection)
	a.POST("/objections/:id/verification", s.govVerify)
	a.POST("/objections/:id/correction", s.govCorrect)
	a.GET("/statistics", s.govStatistics)
}

func (s *Server) gov() *govdata.Service { return s.svc.GovData }

// requireGovData answers 503 govdata_unavailable when the server was built
// without the government data service (a server of the trading side only).
func (s *Server) requireGovData(c *gin.Context) {
	if s.svc.GovData == nil {
		writeProblem(c, Problem{Type: "about:blank", Title: "Service unavailable", Status: http.StatusServiceUnavailable,
			Code: "govdata_unavailable", Detail: "this server runs without the government data catalog", RequestID: requestIDOf(c)})
		return
	}
	c.Next()
}

// respond writes v with status, or the problem of err.
func (s *Server) respond(c *gin.Context, status int, v any, err error) {
	if err != nil {
		s.fail(c, err)
		return
	}
	writeJSON(c, status, v)
}

// govSearch searches the catalog: q, department_id, share_class,
// open_class, page, page_size.
func (s *Server) govSearch(c *gin.Context) {
	q := govdata.Query{Q: c.Query("q"), ShareClass: govdata.ShareClass(c.Query("share_class")), OpenClass: market.OpenClass(c.Query("open_class"))}
	dept, err := queryUUID(c, "department_id")
	if err == nil {
		q.DepartmentID = market.PartyID(dept)
		q.Limit, q.Offset, err = page(c)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	items, total, err := s.govReads().Search(c.Request.Context(), q)
	if items == nil {
		items = []govdata.Resource{}
	}
	s.respond(c, http.StatusOK, gin.H{"items": items, "total": total, "page": q.Offset/q.Limit + 1, "page_size": q.Limit}, err)
}

func (s *Server) govResource(c *gin.Context) {
	r, err := s.govReads().Resource(c.Request.Context(), c.Param("ref"))
	s.respond(c, http.StatusOK, r, err)
}

func (s *Server) govVersions(c *gin.Context) {
	vs, err := s.govReads().Versions(c.Request.Context(), c.Param("ref"))
	s.respond(c, http.StatusOK, gin.H{"items": vs}, err)
}

func (s *Server) govCreateResource(c *gin.Context) {
	var r govdata.Resource
	if !s.bindJSON(c, &r) {
		return
	}
	out, err := s.gov().CreateResource(c.Request.Context(), actor(c), r)
	s.respond(c, http.StatusCreated, out, err)
}

// resourceRevision is the body of PUT /v1/gov/catalog/resources/{ref}: the
// resource as it should stand, and why.
type resourceRevision struct {
	govdata.Resource
	Reason string `json:"reason"`
}

func (s *Server) govUpdateResource(c *gin.Context) {
	var body resourceRevision
	if !s.bindJSON(c, &body) {
		return
	}
	ctx := c.Request.Context()
	cur, err := s.gov().Resource(ctx, c.Param("ref"))
	if err == nil {
		cur, err = s.gov().UpdateResource(ctx, actor(c), cur.ID, body.Resource, body.Reason)
	}
	s.respond(c, http.StatusOK, cur, err)
}

func (s *Server) govPutData(c *gin.Context) {
	var d govdata.Data
	if !s.bindJSON(c, &d) {
		return
	}
	ctx := c.Request.Context()
	r, err := s.gov().Resource(ctx, c.Param("ref"))
	if err == nil {
		err = s.gov().PutData(ctx, actor(c), r.ID, d)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (s *Server) govStatistics(c *gin.Context) {
	st, err := s.gov().Statistics(c.Request.Context(), actor(c))
	s.respond(c, http.StatusOK, gin.H{"items": st}, err)
}
