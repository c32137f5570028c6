package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/internal/jobs"
	"github.com/shujiao/shujiao/market"
)

// datasetView is a dataset with its detection and the de-identification
// form (each column's role proposed by detection).
type datasetView struct {
	Dataset   *market.Dataset
	Detection []anonymizer.ColumnDetection
	// Rows are the workbench's rows, one per column (seller_workbench.go).
	Rows []workbenchRow
	// Sample is the sample run shown under the form (seller_sample.go).
	Sample *sampleView
}

func (h *Handler) datasetPage(rc *reqCtx) error {
	return h.renderDataset(rc, http.StatusOK, nil, nil)
}

func (h *Handler) renderDataset(rc *reqCtx, status int, form url.Values, errs map[string]string) error {
	return h.renderDatasetWith(rc, status, form, errs, nil)
}

func (h *Handler) renderDatasetWith(rc *reqCtx, status int, form url.Values, errs map[string]string, sample *sampleView) error {
	a, err := rc.require(market.RoleSeller)
	if err != nil {
		return err
	}
	id, err := rc.pathID("id")
	if err != nil {
		return err
	}
	ds, err := h.uc.datasets.Get(rc.r.Context(), a, id)
	if err != nil {
		return err
	}
	var det anonymizer.Detection
	_ = json.Unmarshal(ds.Detection, &det) // an unreadable report shows no proposal
	if form == nil {
		form = proposedPolicy(det)
	}
	return rc.render(status, "seller_dataset", "dataset.title", &page{Data: datasetView{Dataset: ds, Detection: det.Columns, Rows: h.workbenchRows(ds, det.Columns), Sample: sample}, Form: form, Errors: errs})
}

// proposedPolicy fills the form from detection: each column's proposed
// role, identifiers dropped, a built-in hierarchy for each
// quasi-identifier suited to its detected type, k = 20 (a public release
// passes the irreversibility gate only when every class has 20 records).
func proposedPolicy(det anonymizer.Detection) url.Values {
	f := url.Values{"k": {"20"}, "suppression": {"0.05"}, "mode": {market.ModePublic}}
	for _, c := range det.Columns {
		f.Set("role."+c.Name, string(c.ProposedRole))
		if c.ProposedRole == anonymizer.RoleQuasi {
			f.Set("hierarchy."+c.Name, defaultHierarchy(c))
		}
	}
	return f
}

// defaultHierarchy proposes a built-in generator for a quasi-identifier.
func defaultHierarchy(c anonymizer.ColumnDetection) string {
	if len(c.Types) > 0 {
		switch c.Types[0].Type {
		case anonymizer.TypeBirthDate, anonymizer.TypeDate:
			return "date"
		case anonymizer.TypeDivisionCode:
			return "division"
		}
	}
	switch n := strings.ToLower(c.Name); {
	case strings.Contains(n, "age") || strings.Contains(n, "年龄"):
		return "interval:5,10,20"
	}
	return "mask"
}

// deidentify queues a job as POST /v1/datasets/{id}/deidentify does,
// with the policy the form describes.
func (h *Handler) deidentify(rc *reqCtx) error {
	a, err := rc.require(market.RoleSeller)
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
	ctx := rc.r.Context()
	ds, err := h.uc.datasets.Get(ctx, a, id)
	if err == nil {
		err = a.RequireOwnParty(ds.PartyID)
	}
	if err != nil {
		return err
	}
	if preset := f.Get("preset"); preset != "" {
		// a preset button fills the form from the mode; nothing is queued
		if !applyPreset(f, preset, ds.Columns) {
			return h.renderDataset(rc, http.StatusBadRequest, f, map[string]string{"mode": rc.t("err.invalid_enum")})
		}
		return h.renderDataset(rc, http.StatusOK, f, nil)
	}
	p, errs := policyFromForm(rc, f, ds.Columns)
	mode := f.Get("mode")
	if !market.ValidMode(mode) {
		errs["mode"] = rc.t("err.invalid_enum")
	}
	if len(errs) == 0 {
		if err := jobs.CheckPolicy(p, ds.Columns); err != nil {
			fe, ok := rc.fieldErrors(err)
			if !ok {
				return err
			}
			for k, v := range fe {
				errs[strings.Replace(strings.TrimPrefix(k, "policy.columns."), ".hierarchy", "", 1)] = v
			}
		}
	}
	if len(errs) > 0 {
		return h.renderDataset(rc, http.StatusBadRequest, f, remapPolicyErrors(errs))
	}
	if f.Get("sample") != "" {
		return h.runSample(rc, ds, p, mode, f)
	}
	policy, _ := json.Marshal(p)
	j := &market.Job{ID: market.NewID(), PartyID: ds.PartyID, DatasetID: ds.ID, CreatedBy: a.UserID,
		Policy: policy, Mode: mode, CreatedAt: h.now()}
	queue := h.deps.Stores.Jobs.CreateJob
	if h.deps.Jobs != nil {
		queue = h.deps.Jobs.QueueJob
	}
	if err := queue(ctx, j); err != nil {
		return err
	}
	return rc.redirect(Prefix + "/seller/jobs/" + j.ID.String() + "?notice=job_queued")
}

// remapPolicyErrors puts an error about a column's hierarchy next to that
// column's hierarchy field, and one about the whole policy at the top.
func remapPolicyErrors(errs map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range errs {
		switch {
		case k == "policy" || k == "policy.columns":
			out["_form"] = v
		case strings.Contains(k, "."):
			out[k] = v
		case k == "k" || k == "l" || k == "t" || k == "suppression" || k == "mode":
			out[k] = v
		default:
			out["hierarchy."+k] = v
		}
	}
	return out
}

// policyFromForm reads the policy: role.<column>, action.<column>,
// hierarchy.<column>, k, l, t, suppression.
func policyFromForm(rc *reqCtx, f url.Values, columns []string) (*anonymizer.Policy, map[string]string) {
	p := &anonymizer.Policy{Columns: map[string]anonymizer.ColumnPolicy{}, L: f.Get("l")}
	errs := map[string]string{}
	for _, col := range columns {
		role := anonymizer.Role(f.Get("role." + col))
		switch role {
		case "":
			continue
		case anonymizer.RoleIdentifying:
			act := f.Get("action." + col)
			if act != "pseudonymize" {
				act = "drop"
			}
			p.Columns[col] = anonymizer.ColumnPolicy{Role: role, Action: act}
		case anonymizer.RoleQuasi:
			p.Columns[col] = anonymizer.ColumnPolicy{Role: role, Hierarchy: f.Get("hierarchy." + col)}
		case anonymizer.RoleSensitive, anonymizer.RoleInsensitive:
			p.Columns[col] = anonymizer.ColumnPolicy{Role: role}
		default:
			errs["role."+col] = rc.t("err.invalid_enum")
		}
	}
	if k, err := strconv.Atoi(f.Get("k")); err != nil || k < 1 {
		errs["k"] = rc.t("dataset.bad_k")
	} else {
		p.K = k
	}
	if v := f.Get("t"); v != "" {
		t, err := strconv.ParseFloat(v, 64)
		if err != nil || t <= 0 || t > 1 {
			errs["t"] = rc.t("dataset.bad_t")
		}
		p.T = t
	}
	if v := f.Get("suppression"); v != "" {
		s, err := strconv.ParseFloat(v, 64)
		if err != nil || s < 0 || s > 1 {
			errs["suppression"] = rc.t("dataset.bad_suppression")
		}
		p.Suppression = s
	}
	return p, errs
}
