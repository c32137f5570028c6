package web

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"

	"github.com/shujiao/shujiao/market"
	"github.com/shujiao/shujiao/market/govdata"
)

// govRoutes registers the government data pages: the public catalog and a
// resource (apply, object), an applicant's and a department's
// applications with their clocks, and the coordinator's overdue queue and
// statistics. They call the same govdata.Service as /v1/gov.
func (h *Handler) govRoutes() {
	h.handle("GET "+Prefix+"/gov/catalog", h.govCatalog)
	h.handle("GET "+Prefix+"/gov/catalog/{code}", h.govResource)
	h.handle("POST "+Prefix+"/gov/applications", h.govApply)
	h.handle("GET "+Prefix+"/gov/applications", h.govApplications)
	h.handle("GET "+Prefix+"/gov/applications/{id}", h.govApplication)
	h.handle("POST "+Prefix+"/gov/applications/{id}/{action}", h.govAct)
	h.handle("POST "+Prefix+"/gov/objections", h.govObject)
	h.handle("POST "+Prefix+"/gov/objections/{id}/verification", h.govVerify)
	h.handle("POST "+Prefix+"/gov/objections/{id}/correction", h.govCorrect)
	h.handle("GET "+Prefix+"/gov/department", h.govDepartment)
	h.handle("GET "+Prefix+"/gov/coordinator", h.govCoordinator)
}

// gov returns the service, or a not-found error when the pages were built
// without it.
func (h *Handler) gov() (*govdata.Service, error) {
	if h.deps.GovData == nil {
		return nil, market.Errorf(market.ErrNotFound, "page_not_found", "this server runs without the government data catalog")
	}
	return h.deps.GovData, nil
}

// govCatalogView is the catalog page.
type govCatalogView struct {
	Items   []govdata.Resource
	Total   int
	Classes []string
}

func (h *Handler) govCatalog(rc *reqCtx) error {
	svc, err := h.gov()
	if err != nil {
		return err
	}
	q := rc.r.URL.Query()
	query := govdata.Query{Q: q.Get("q"), OpenClass: market.OpenClass(q.Get("open_class")), ShareClass: govdata.ShareClass(q.Get("share_class")), Limit: 100}
	items, total, err := svc.Search(rc.r.Context(), query)
	if fe, ok := rc.fieldErrors(err); ok {
		return rc.render(http.StatusBadRequest, "gov_catalog", "gov.catalog_title", &page{Form: q, Errors: fe, Data: govCatalogView{Classes: govClasses}})
	}
	if err != nil {
		return err
	}
	return rc.render(http.StatusOK, "gov_catalog", "gov.catalog_title", &page{Form: q, Data: govCatalogView{Items: items, Total: total, Classes: govClasses}})
}

var govClasses = []string{"unconditional", "conditional", "none"}

// govResourceView is one resource: its entry, versions, and what the
// visitor may do with it.
type govResourceView struct {
	R        *govdata.Resource
	Versions []govdata.Version
	// ApplyKind is the application the visitor may make ("sharing",
	// "opening" or "").
	ApplyKind string
	Mine      bool
	Objects   []string
}

func (h *Handler) govResource(rc *reqCtx) error {
	return h.renderResource(rc, http.StatusOK, nil, nil)
}

func (h *Handler) renderResource(rc *reqCtx, status int, form url.Values, errs map[string]string) error {
	svc, err := h.gov()
	if err != nil {
		return err
	}
	code := rc.r.PathValue("code")
	if code == "" {
		code = form.Get("resource")
	}
	r, err := svc.Resource(rc.r.Context(), code)
	if err != nil {
		return err
	}
	vs, err := svc.Versions(rc.r.Context(), r.Code)
	if err != nil {
		return err
	}
	v := govResourceView{R: r, Versions: vs, Objects: []string{"error", "omission", "state_secret", "trade_secret", "privacy"}}
	if a, ok := rc.actor(); ok {
		v.Mine = a.PartyID == r.DepartmentID
		switch {
		case v.Mine:
		case a.PartyType == market.PartyDepartment && a.Can(market.RoleDepartment) && r.ShareClass == govdata.ShareConditional:
			v.ApplyKind = "sharing"
		case a.PartyType == market.PartyParticipant && r.OpenClass == market.OpenConditional:
			v.ApplyKind = "opening"
		}
	}
	return rc.render(status, "gov_resource", "gov.resource_title", &page{Form: form, Errors: errs, Data: v})
}

func (h *Handler) govApply(rc *reqCtx) error {
	svc, err := h.gov()
	if err != nil {
		return err
	}
	a, err := rc.require()
	if err != nil {
		return err
	}
	f, err := rc.form()
	if err != nil {
		return err
	}
	r, err := svc.Resource(rc.r.Context(), f.Get("resource"))
	if err != nil {
		return err
	}
	n := govdata.NewApplication{Kind: govdata.Kind(f.Get("kind")), ResourceID: r.ID, Purpose: f.Get("purpose"),
		LegalBasis: f.Get("legal_basis"), Fields: f["fields"], Resale: f.Get("resale") == "on", WrittenAnswer: f.Get("written_answer") == "on"}
	errs := map[string]string{}
	for _, d := range []struct {
		name string
		dst  *market.Date
	}{{"period_from", &n.PeriodFrom}, {"period_to", &n.PeriodTo}} {
		if v := f.Get(d.name); v != "" {
			if *d.dst, err = market.ParseDate(v); err != nil {
				errs[d.name] = rc.t("gov.bad_date")
			}
		}
	}
	if len(errs) > 0 {
		return h.renderResource(rc, http.StatusBadRequest, f, errs)
	}
	app, err := svc.Apply(rc.r.Context(), a, n)
	if fe, ok := rc.fieldErrors(err); ok {
		return h.renderResource(rc, http.StatusBadRequest, f, fe)
	}
	if err != nil {
		return err
	}
	return rc.redirect(Prefix + "/gov/applications/" + app.ID.String() + "?notice=gov_applied")
}

func (h *Handler) govObject(rc *reqCtx) error {
	svc, err := h.gov()
	if err != nil {
		return err
	}
	a, err := rc.require()
	if err != nil {
		return err
	}
	f, err := rc.form()
	if err != nil {
		return err
	}
	r, err := svc.Resource(rc.r.Context(), f.Get("resource"))
	if err != nil {
		return err
	}
	_, err = svc.Object(rc.r.Context(), a, govdata.NewObjection{ResourceID: r.ID, Kind: govdata.ObjectionKind(f.Get("objection_kind")),
		Fields: f["objection_fields"], Description: f.Get("objection_description")})
	if fe, ok := rc.fieldErrors(err); ok {
		prefixed := map[string]string{}
		for k, v := range fe {
			prefixed["objection_"+k] = v
		}
		return h.renderResource(rc, http.StatusBadRequest, f, prefixed)
	}
	if err != nil {
		return err
	}
	return rc.redirect(Prefix + "/gov/catalog/" + url.PathEscape(r.Code) + "?notice=gov_objected")
}

func (h *Handler) govVerify(rc *reqCtx) error {
	svc, err := h.gov()
	if err != nil {
		return err
	}
	a, err := rc.require(market.RoleDepartment)
	if err != nil {
		return err
	}
	id, err := rc.pathID("id")
	if err != nil {
		return err
	}
	f, err := rc.form()
	if err != nil {
		return err
	}
	if _, err := svc.Verify(rc.r.Context(), a, id, f.Get("upheld") == "true", f.Get("finding")); err != nil {
		return err
	}
	return rc.redirect(Prefix + "/gov/department?notice=gov_verified")
}

// govCorrect records the correction of an upheld objection: a note and
// the corrected data as CSV (a header row of the resource's fields, then
// the rows), recorded as a new version of the resource.
func (h *Handler) govCorrect(rc *reqCtx) error {
	svc, err := h.gov()
	if err != nil {
		return err
	}
	a, err := rc.require(market.RoleDepartment)
	if err != nil {
		return err
	}
	id, err := rc.pathID("id")
	if err != nil {
		return err
	}
	f, err := rc.form()
	if err != nil {
		return err
	}
	recs, err := csv.NewReader(strings.NewReader(f.Get("data"))).ReadAll()
	if err != nil || len(recs) == 0 {
		return market.Invalid("data", "invalid_csv", "the corrected data must be CSV: a header row of the resource's fields, then the rows")
	}
	if _, err := svc.Correct(rc.r.Context(), a, id, govdata.Correction{Note: f.Get("note"),
		Data: &govdata.Data{Columns: recs[0], Rows: recs[1:]}}); err != nil {
		return err
	}
	return rc.redirect(Prefix + "/gov/department?notice=gov_corrected")
}

// govDepartmentView is a department's desk: its resources, incoming
// applications with their clocks, objections to its data.
type govDepartmentView struct {
	Resources  []govdata.Resource
	Incoming   []govdata.Application
	Outgoing   []govdata.Application
	Objections []govdata.Objection
}

func (h *Handler) govDepartment(rc *reqCtx) error {
	svc, err := h.gov()
	if err != nil {
		return err
	}
	a, err := rc.require(market.RoleDepartment)
	if err != nil {
		return err
	}
	ctx := rc.r.Context()
	res, _, err := svc.Search(ctx, govdata.Query{DepartmentID: a.PartyID, Limit: 200})
	if err != nil {
		return err
	}
	apps, err := svc.Applications(ctx, a, false)
	if err != nil {
		return err
	}
	objs, err := svc.Objections(ctx, a)
	if err != nil {
		return err
	}
	v := govDepartmentView{Resources: res}
	for _, x := range apps {
		if x.ProviderID == a.PartyID {
			v.Incoming = append(v.Incoming, x)
		} else {
			v.Outgoing = append(v.Outgoing, x)
		}
	}
	for _, o := range objs {
		if o.ProviderID == a.PartyID {
			v.Objections = append(v.Objections, o)
		}
	}
	return rc.render(http.StatusOK, "gov_department", "gov.department_title", &page{Data: v})
}

func (h *Handler) govApplications(rc *reqCtx) error {
	svc, err := h.gov()
	if err != nil {
		return err
	}
	a, err := rc.require()
	if err != nil {
		return err
	}
	apps, err := svc.Applications(rc.r.Context(), a, false)
	if err != nil {
		return err
	}
	mine := apps[:0]
	for _, x := range apps {
		if x.ApplicantID == a.PartyID {
			mine = append(mine, x)
		}
	}
	return rc.render(http.StatusOK, "gov_applications", "gov.applications_title", &page{Data: mine})
}
