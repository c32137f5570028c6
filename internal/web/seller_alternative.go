package web

import (
	"encoding/json"
	"strconv"

	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/internal/jobs"
	"github.com/shujiao/shujiao/market"
)

// jobReport is the report a job recorded: its release's (the artifact's)
// when it succeeded, else the one kept with the job (a release the gate
// refused). nil when there is none.
func (h *Handler) jobReport(rc *reqCtx, a market.Actor, j *market.Job) (*jobs.Report, error) {
	raw := j.Report
	if j.Status == market.JobSucceeded && j.ArtifactID != nil {
		art, err := h.uc.datasets.Artifact(rc.r.Context(), a, *j.ArtifactID)
		if err != nil {
			return nil, err
		}
		raw = art.Report
	}
	var rep jobs.Report
	if len(raw) == 0 || json.Unmarshal(raw, &rep) != nil || rep.Anonymizer == nil {
		return nil, nil
	}
	return &rep, nil
}

// chooseAlternative queues the job again with the n-th alternative
// transformation its report lists held as the policy's max_levels
// (POST /ui/seller/jobs/{id}/alternatives/{n}): the search releases that
// transformation, the irreversibility gate (Tianjin Art. 29) checks the
// release again and, when it passes, a new certificate is signed. Only
// the seller party that owns the job may; an unknown n is a 404.
func (h *Handler) chooseAlternative(rc *reqCtx) error {
	a, err := rc.require(market.RoleSeller)
	if err != nil {
		return err
	}
	id, err := rc.pathID("id")
	if err != nil {
		return err
	}
	if _, err := rc.form(); err != nil {
		return err
	}
	ctx := rc.r.Context()
	j, err := h.uc.jobs.Get(ctx, a, id)
	if err != nil {
		return err
	}
	if err := a.RequireOwnParty(j.PartyID); err != nil {
		return err
	}
	rep, err := h.jobReport(rc, a, j)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(rc.r.PathValue("n"))
	if err != nil || rep == nil || n < 1 || n > len(rep.Alternatives) {
		return market.Errorf(market.ErrNotFound, "not_found", "no such alternative")
	}
	var p anonymizer.Policy
	if err := json.Unmarshal(j.Policy, &p); err != nil {
		return market.Invalid("policy", "invalid_policy", "the job's policy could not be read")
	}
	p.MaxLevels = rep.Alternatives[n-1].Transformation
	ds, err := h.uc.datasets.Get(ctx, a, j.DatasetID)
	if err != nil {
		return err
	}
	if err := jobs.CheckPolicy(&p, ds.Columns); err != nil {
		return err
	}
	policy, err := json.Marshal(&p)
	if err != nil {
		return err
	}
	next := &market.Job{ID: market.NewID(), PartyID: ds.PartyID, DatasetID: ds.ID, CreatedBy: a.UserID,
		Policy: policy, Mode: j.Mode, CreatedAt: h.now()}
	queue := h.deps.Stores.Jobs.CreateJob
	if h.deps.Jobs != nil {
		queue = h.deps.Jobs.QueueJob
	}
	if err := queue(ctx, next); err != nil {
		return err
	}
	return rc.redirect(Prefix + "/seller/jobs/" + next.ID.String() + "?notice=alternative_queued")
}
