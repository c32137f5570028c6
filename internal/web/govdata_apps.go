package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/shujiao/shujiao/market"
	"github.com/shujiao/shujiao/market/govdata"
)

// govApplicationView is one application and what the visitor may do.
type govApplicationView struct {
	A        *govdata.Application
	Approval *govdata.Approval
	// Provider: the visitor's department answers it; Applicant: the
	// visitor's party made it; Coordinator: the visitor decides escalations.
	Provider, Applicant, Coordinator bool
	Deadline                         string
}

func (h *Handler) govApplication(rc *reqCtx) error {
	return h.renderApplication(rc, http.StatusOK, nil, nil)
}

func (h *Handler) renderApplication(rc *reqCtx, status int, form url.Values, errs map[string]string) error {
	svc, err := h.gov()
	if err != nil {
		return err
	}
	a, err := rc.require()
	if err != nil {
		return err
	}
	id, err := rc.pathID("id")
	if err != nil {
		return err
	}
	app, err := svc.Application(rc.r.Context(), a, id)
	if err != nil {
		return err
	}
	v := govApplicationView{A: app, Provider: a.PartyID == app.ProviderID && a.Can(market.RoleDepartment),
		Applicant: a.PartyID == app.ApplicantID, Coordinator: a.Can(market.RoleCoordinator)}
	if d := app.Deadline(); d != nil {
		v.Deadline = govdata.DueDate(*d)
	}
	if app.ApprovalID != [16]byte{} {
		if v.Approval, err = svc.Approval(rc.r.Context(), a, app.ApprovalID); err != nil {
			return err
		}
	}
	return rc.render(status, "gov_application", "gov.application_title", &page{Form: form, Errors: errs, Data: v})
}

// govAct runs one action on an application: accept, provide, refuse,
// escalate, decide.
func (h *Handler) govAct(rc *reqCtx) error {
	svc, err := h.gov()
	if err != nil {
		return err
	}
	a, err := rc.require()
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
	ans := govdata.Answer{Reasons: f.Get("reasons"), Basis: f.Get("basis"), Resale: f.Get("resale") == "on"}
	if p := strings.TrimSpace(f.Get("purposes")); p != "" {
		ans.Purposes = []string{p}
	}
	if v := f.Get("valid_to"); v != "" {
		if ans.ValidTo, err = market.ParseDate(v); err != nil {
			return h.renderApplication(rc, http.StatusBadRequest, f, map[string]string{"valid_to": rc.t("gov.bad_date")})
		}
	}
	ctx := rc.r.Context()
	action := rc.r.PathValue("action")
	switch action {
	case "accept":
		_, err = svc.Accept(ctx, a, id)
	case "provide":
		_, err = svc.Provide(ctx, a, id, ans)
	case "refuse":
		_, err = svc.Refuse(ctx, a, id, ans)
	case "escalate":
		_, err = svc.Escalate(ctx, a, id, f.Get("reason"))
	case "decide":
		_, err = svc.Decide(ctx, a, id, f.Get("decision") == "provide", ans)
	default:
		return market.Errorf(market.ErrNotFound, "page_not_found", "no action %s", action)
	}
	if fe, ok := rc.fieldErrors(err); ok {
		return h.renderApplication(rc, http.StatusBadRequest, f, fe)
	}
	if err != nil {
		return err
	}
	return rc.redirect(fmt.Sprintf("%s/gov/applications/%s?notice=gov_%s", Prefix, id, action))
}

// govCoordinatorView is the big-data bureau's desk: the overdue queue,
// the escalated applications and the departments' statistics with a chart.
type govCoordinatorView struct {
	Overdue   []govdata.Application
	Escalated []govdata.Application
	Stats     []govdata.DepartmentStats
	Chart     svgMarkup
}

func (h *Handler) govCoordinator(rc *reqCtx) error {
	svc, err := h.gov()
	if err != nil {
		return err
	}
	a, err := rc.require(market.RoleCoordinator)
	if err != nil {
		return err
	}
	ctx := rc.r.Context()
	all, err := svc.Applications(ctx, a, false)
	if err != nil {
		return err
	}
	v := govCoordinatorView{}
	for _, x := range all {
		switch {
		case x.Overdue:
			v.Overdue = append(v.Overdue, x)
		case x.State == govdata.StateEscalated:
			v.Escalated = append(v.Escalated, x)
		}
	}
	if v.Stats, err = svc.Statistics(ctx, a); err != nil {
		return err
	}
	v.Chart = govStatsChart(rc, v.Stats)
	return rc.render(http.StatusOK, "gov_coordinator", "gov.coordinator_title", &page{Data: v})
}

// govStatsChart draws each department's applications, with how many were
// answered on time above the bar; departments with overdue applications
// are highlighted and marked (Shaanxi Art. 24 evaluation).
func govStatsChart(rc *reqCtx, stats []govdata.DepartmentStats) svgMarkup {
	c := chart{Title: rc.t("gov.chart_title"), YLabel: rc.t("gov.chart_y")}
	var desc []string
	for _, s := range stats {
		b := bar{Label: s.DepartmentName, Value: float64(s.Applications), Text: fmt.Sprintf(rc.t("gov.chart_bar"), s.Applications, s.OnTime), Hot: s.Overdue > 0}
		if s.Overdue > 0 {
			b.Mark = fmt.Sprintf(rc.t("gov.chart_overdue"), s.Overdue)
		}
		c.Bars = append(c.Bars, b)
		desc = append(desc, fmt.Sprintf("%s: %s %s", s.DepartmentName, b.Text, b.Mark))
	}
	return c.render(strings.Join(desc, "; "))
}
