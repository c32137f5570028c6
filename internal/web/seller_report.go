package web

import (
	"encoding/json"
	"fmt"
	"math/bits"
	"net/http"

	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/internal/jobs"
	"github.com/shujiao/shujiao/market"
)

// jobView is a de-identification job: its progress while it runs, and
// the report of its release once it succeeded.
type jobView struct {
	Job     *market.Job
	Percent int
	// Detail is the phase, fraction and rows read the worker last
	// reported (nil before it did).
	Detail   *market.JobProgress
	Done     bool
	Artifact *market.Artifact
	Report   *jobs.Report
	Gate     *anonymizer.GateResult
	// ClassChart and LevelChart draw the class sizes of the release and
	// the generalization level of each quasi-identifier.
	ClassChart svgMarkup
	LevelChart svgMarkup
	Policy     *anonymizer.Policy
	// RiskChart draws the records' prosecutor risk against the mode's
	// threshold; Risk holds its figures (seller_report_risk.go).
	RiskChart svgMarkup
	Risk      *riskProfile
	// Cert is the release's signed certificate, as a buyer will verify
	// it (seller_certificate.go).
	Cert *certView
	// Preview is the first rows of the input beside the same rows
	// released (seller_preview.go).
	Preview *previewView
	// LossChart draws the information loss of each quasi-identifier, and
	// Alternatives lists the other transformations a seller may pick
	// (seller_report_loss.go, seller_alternative.go).
	LossChart    svgMarkup
	Alternatives *alternativesView
	// Choosable: the visitor is a seller, who may pick an alternative.
	Choosable bool
}

// jobPage shows a job (GET /v1/jobs/{id}); while it is queued or running
// the page reloads itself every two seconds (no JavaScript needed).
func (h *Handler) jobPage(rc *reqCtx) error {
	a, err := rc.require(market.RoleSeller, market.RoleRegulator)
	if err != nil {
		return err
	}
	id, err := rc.pathID("id")
	if err != nil {
		return err
	}
	ctx := rc.r.Context()
	j, err := h.uc.jobs.Get(ctx, a, id)
	if err != nil {
		return err
	}
	v := jobView{Job: j, Percent: int(j.Progress * 100), Done: j.Status.Terminal()}
	if h.deps.Stores.JobProgress != nil {
		if v.Detail, err = h.deps.Stores.JobProgress.JobProgress(ctx, j.ID); err != nil {
			return err
		}
	}
	var p anonymizer.Policy
	if json.Unmarshal(j.Policy, &p) == nil {
		v.Policy = &p
	}
	if len(j.Gate) > 0 {
		var g anonymizer.GateResult
		if json.Unmarshal(j.Gate, &g) == nil {
			v.Gate = &g
		}
	}
	var release *anonymizer.Table
	if j.Status == market.JobSucceeded && j.ArtifactID != nil {
		art, err := h.uc.datasets.Artifact(ctx, a, *j.ArtifactID)
		if err != nil {
			return err
		}
		v.Artifact = art
		var rep jobs.Report
		if json.Unmarshal(art.Report, &rep) == nil && rep.Anonymizer != nil {
			v.Report = &rep
			v.Gate = rep.Gate
			v.LevelChart = levelChart(rc, rep.Anonymizer)
			v.LossChart = lossChart(rc, rep.Anonymizer)
			sizes, suppressed, rel, err := h.classSizes(art, rep.Anonymizer.QuasiIdentifiers)
			if err != nil {
				return err
			}
			release = rel
			v.ClassChart = classChart(rc, sizes, rep.Anonymizer.Models.K)
			risk := profileRisk(sizes, suppressed)
			v.Risk = &risk
			v.RiskChart = riskChart(rc, risk, anonymizer.Mode(j.Mode).Threshold())
		}
	}
	if j.Status == market.JobSucceeded && j.CertificateID != nil {
		if v.Cert, err = h.certificateView(rc, a, *j.CertificateID); err != nil {
			return err
		}
		if v.Cert != nil && v.Cert.Body != nil && v.Report != nil {
			v.Preview = h.preview(v.Cert.Body.Raw, release, v.Report.Anonymizer)
		}
	}
	if v.Done {
		rep := v.Report
		if rep == nil {
			if rep, err = h.jobReport(rc, a, j); err != nil {
				return err
			}
		}
		v.Alternatives = newAlternativesView(rep)
		v.Choosable = a.Can(market.RoleSeller)
	}
	pg := &page{Data: v}
	if !v.Done {
		pg.Refresh = 2
	}
	return rc.render(http.StatusOK, "seller_job", "job.title", pg)
}

// classSizes reads the released file and counts the records of each
// equivalence class over the quasi-identifiers, and the suppressed
// records ("*" in every quasi-identifier) apart.
func (h *Handler) classSizes(art *market.Artifact, qis []string) (map[string]int, int, *anonymizer.Table, error) {
	rc, err := h.deps.Blobs.OpenReader(art.SHA256, art.Format == string(anonymizer.FormatParquet))
	if err != nil {
		return nil, 0, nil, fmt.Errorf("open release %s: %w", art.ID, err)
	}
	defer rc.Close()
	t, _, err := anonymizer.ReadTable(rc, art.Name, anonymizer.ReadOptions{})
	if err != nil {
		return nil, 0, nil, fmt.Errorf("read release %s: %w", art.ID, err)
	}
	sizes, suppressed := releaseClasses(t, qis)
	return sizes, suppressed, t, nil
}

// classChart is a histogram of class sizes in power-of-two bins (k, 2k…),
// bars counting the classes of each bin.
func classChart(rc *reqCtx, sizes map[string]int, k int) svgMarkup {
	bins := map[int]int{}
	top := 0
	for _, n := range sizes {
		b := bits.Len(uint(n)) - 1 // n in [2^b, 2^(b+1))
		bins[b]++
		top = max(top, b)
	}
	c := chart{Title: rc.t("report.class_chart"), YLabel: rc.t("report.classes")}
	desc := ""
	for b := 0; b <= top; b++ {
		lo, hi := 1<<b, 1<<(b+1)-1
		label := fmt.Sprintf("%d–%d", lo, hi)
		if lo == hi {
			label = fmt.Sprint(lo)
		}
		c.Bars = append(c.Bars, bar{Label: label, Value: float64(bins[b]), Text: fmt.Sprint(bins[b]), Hot: hi < k})
		desc += fmt.Sprintf("%s: %d; ", label, bins[b])
	}
	return c.render(desc)
}

// levelChart draws the generalization level chosen for each
// quasi-identifier (0: kept as is).
func levelChart(rc *reqCtx, rep *anonymizer.Report) svgMarkup {
	c := chart{Title: rc.t("report.level_chart"), YLabel: rc.t("report.level")}
	desc := ""
	for _, q := range rep.QuasiIdentifiers {
		l := rep.Transformation[q]
		c.Bars = append(c.Bars, bar{Label: q, Value: float64(l), Text: fmt.Sprint(l)})
		desc += fmt.Sprintf("%s: %d; ", q, l)
	}
	return c.render(desc)
}
