package httpapi

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/shujiao/shujiao/market"
	"github.com/shujiao/shujiao/market/govdata"
)

// ckanRoutes registers the read calls of CKAN's Action API (version 3) over
// the open government data catalog, so that CKAN harvesters and clients
// such as ckanapi read it unchanged: package_list, package_show,
// package_search, organization_list. Responses and errors have CKAN's
// shape ({"help", "success", "result"} or {"help", "success": false,
// "error": {"__type", "message"}}), not problem+json, because that is what
// those clients parse.
func (s *Server) ckanRoutes(r *gin.Engine) {
	g := r.Group("/api/3/action", noStore, s.requireGovData)
	g.GET("/package_list", s.ckanPackageList)
	g.GET("/package_show", s.ckanPackageShow)
	g.GET("/package_search", s.ckanPackageSearch)
	g.GET("/organization_list", s.ckanOrganizationList)
}

func ckanHelp(c *gin.Context, action string) string {
	return baseURL(c) + "/api/3/action/help_show?name=" + action
}

func ckanOK(c *gin.Context, action string, result any) {
	c.JSON(http.StatusOK, gin.H{"help": ckanHelp(c, action), "success": true, "result": result})
}

// ckanError answers as CKAN does: 404 "Not Found Error", 409 "Validation
// Error", 500 "Internal Error" (with nothing of the cause).
func (s *Server) ckanError(c *gin.Context, action string, status int, typ, msg string) {
	c.JSON(status, gin.H{"help": ckanHelp(c, action), "success": false, "error": gin.H{"__type": typ, "message": msg}})
}

// ckanName is the CKAN name of a resource: its code, lower-cased, with
// CKAN's allowed characters.
func ckanName(code string) string {
	return strings.ReplaceAll(strings.ToLower(code), ".", "-")
}

// ckanOrgName is the CKAN name of a department: its credit code, lower-cased.
func ckanOrg(p market.Party) gin.H {
	return gin.H{"id": p.ID, "name": strings.ToLower(p.CreditCode), "title": p.Name, "display_name": p.Name,
		"type": "organization", "is_organization": true, "state": "active", "approval_status": "approved",
		"description": "", "image_url": "", "created": p.CreatedAt.Format("2006-01-02T15:04:05.000000")}
}

// ckanPackage renders r in CKAN's package shape.
func ckanPackage(base string, r *govdata.Resource, org market.Party) gin.H {
	self := base + "/v1/gov/catalog/resources/" + r.Code
	tags := make([]gin.H, 0, len(r.Keywords))
	for _, k := range r.Keywords {
		tags = append(tags, gin.H{"name": k, "display_name": k, "state": "active"})
	}
	res := []gin.H{}
	if r.OpenClass == market.OpenUnconditional && r.HasData {
		for _, f := range govFormats {
			res = append(res, gin.H{"id": r.ID.String() + "-" + f.ext, "package_id": r.ID, "name": r.Title + " (" + strings.ToUpper(f.ext) + ")",
				"url": self + "/data." + f.ext, "format": strings.ToUpper(f.ext), "mimetype": f.media, "state": "active",
				"description": "", "position": len(res), "url_type": nil})
		}
	}
	ts := func(t interface{ Format(string) string }) string { return t.Format("2006-01-02T15:04:05.000000") }
	return gin.H{
		"id": r.ID, "name": ckanName(r.Code), "title": r.Title, "notes": r.Description, "type": "dataset",
		"state": "active", "private": false, "version": strconv.Itoa(r.Version),
		"metadata_created": ts(r.CreatedAt), "metadata_modified": ts(r.UpdatedAt),
		"owner_org": org.ID, "organization": ckanOrg(org), "author": r.DepartmentName, "maintainer": r.DepartmentName,
		"license_id": map[bool]string{true: "other-open", false: "other-closed"}[r.OpenClass == market.OpenUnconditional],
		"url":        self, "tags": tags, "num_tags": len(tags), "resources": res, "num_resources": len(res),
		"groups": []any{}, "relationships_as_object": []any{}, "relationships_as_subject": []any{}, "isopen": r.OpenClass == market.OpenUnconditional,
		"extras": []gin.H{
			{"key": "catalog_code", "value": r.Code}, {"key": "open_class", "value": string(r.OpenClass)},
			{"key": "open_basis", "value": r.OpenBasis}, {"key": "share_class", "value": string(r.ShareClass)},
			{"key": "update_frequency", "value": string(r.UpdateFrequency)}, {"key": "format", "value": r.Format},
			{"key": "source_system", "value": r.SourceSystem},
		},
	}
}

// departments returns the departments by ID.
func (s *Server) ckanDepartments(c *gin.Context) (map[market.PartyID]market.Party, []market.Party, error) {
	depts, err := s.govReads().Departments(c.Request.Context())
	if err != nil {
		return nil, nil, err
	}
	by := make(map[market.PartyID]market.Party, len(depts))
	for _, d := range depts {
		by[d.ID] = d
	}
	return by, depts, nil
}

func (s *Server) ckanPackageList(c *gin.Context) {
	all, err := s.openResources(c)
	if err != nil {
		s.log.ErrorContext(c.Request.Context(), "ckan package_list", "err", err)
		s.ckanError(c, "package_list", http.StatusInternalServerError, "Internal Error", "internal error")
		return
	}
	names := make([]string, 0, len(all))
	for _, r := range all {
		names = append(names, ckanName(r.Code))
	}
	ckanOK(c, "package_list", names)
}

func (s *Server) ckanPackageShow(c *gin.Context) {
	ref := strings.TrimSpace(c.Query("id"))
	if ref == "" {
		s.ckanError(c, "package_show", http.StatusConflict, "Validation Error", "id: Missing value")
		return
	}
	all, err := s.openResources(c)
	var depts map[market.PartyID]market.Party
	if err == nil {
		depts, _, err = s.ckanDepartments(c)
	}
	if err != nil {
		s.log.ErrorContext(c.Request.Context(), "ckan package_show", "err", err)
		s.ckanError(c, "package_show", http.StatusInternalServerError, "Internal Error", "internal error")
		return
	}
	for i := range all {
		r := &all[i]
		if ref == r.ID.String() || ref == ckanName(r.Code) || ref == r.Code {
			ckanOK(c, "package_show", ckanPackage(baseURL(c), r, depts[r.DepartmentID]))
			return
		}
	}
	s.ckanError(c, "package_show", http.StatusNotFound, "Not Found Error", "Not found")
}

// ckanPackageSearch answers package_search: q (free text), rows (default
// 10, at most 1000), start.
func (s *Server) ckanPackageSearch(c *gin.Context) {
	rows, start := 10, 0
	for _, p := range []struct {
		name string
		dst  *int
		max  int
	}{{"rows", &rows, 1000}, {"start", &start, 1 << 30}} {
		if v := c.Query(p.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || n > p.max {
				s.ckanError(c, "package_search", http.StatusConflict, "Validation Error", p.name+": Invalid integer")
				return
			}
			*p.dst = n
		}
	}
	q := strings.TrimSpace(c.Query("q"))
	if q == "*:*" {
		q = ""
	}
	all, err := s.openResources(c)
	var depts map[market.PartyID]market.Party
	if err == nil {
		depts, _, err = s.ckanDepartments(c)
	}
	if err != nil {
		s.log.ErrorContext(c.Request.Context(), "ckan package_search", "err", err)
		s.ckanError(c, "package_search", http.StatusInternalServerError, "Internal Error", "internal error")
		return
	}
	var hits []*govdata.Resource
	for i := range all {
		r := &all[i]
		text := strings.ToLower(strings.Join(append([]string{r.Code, r.Title, r.Description, r.DepartmentName}, r.Keywords...), " "))
		if q == "" || strings.Contains(text, strings.ToLower(q)) {
			hits = append(hits, r)
		}
	}
	results := []gin.H{}
	for i := start; i < len(hits) && len(results) < rows; i++ {
		results = append(results, ckanPackage(baseURL(c), hits[i], depts[hits[i].DepartmentID]))
	}
	ckanOK(c, "package_search", gin.H{"count": len(hits), "results": results, "sort": "name asc", "facets": gin.H{}, "search_facets": gin.H{}})
}

// ckanOrganizationList lists the departments: names, or objects with
// all_fields=true.
func (s *Server) ckanOrganizationList(c *gin.Context) {
	_, depts, err := s.ckanDepartments(c)
	if err != nil {
		s.log.ErrorContext(c.Request.Context(), "ckan organization_list", "err", err)
		s.ckanError(c, "organization_list", http.StatusInternalServerError, "Internal Error", "internal error")
		return
	}
	if c.Query("all_fields") == "true" || c.Query("all_fields") == "True" {
		out := make([]gin.H, 0, len(depts))
		for _, d := range depts {
			out = append(out, ckanOrg(d))
		}
		ckanOK(c, "organization_list", out)
		return
	}
	names := make([]string, 0, len(depts))
	for _, d := range depts {
		names = append(names, strings.ToLower(d.CreditCode))
	}
	ckanOK(c, "organization_list", names)
}
