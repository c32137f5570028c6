package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/internal/jobs"
	"github.com/shujiao/shujiao/market"
)

// samplePageRows is how many of the sample's rows are shown side by side.
const samplePageRows = 20

// sampleView is a sample run on the workbench: the anonymizer and the
// gate on the dataset's first rows (jobs.Sample), before the full job.
type sampleView struct {
	// Rows is the sample's size.
	Rows int
	// NoSolution: no transformation satisfies the models on the sample;
	// Error is another failure (its text shown on English pages only).
	NoSolution bool
	Error      string
	Report     *jobs.Report
	LossChart  svgMarkup
	RiskChart  svgMarkup
	Risk       *riskProfile
	// Alternatives are shown, not chosen: a choice is made on the full
	// job's page, where its figures are the table's.
	Alternatives *alternativesView
	Preview      *previewView
}

// runSample de-identifies the dataset's first rows under policy p in the
// request and shows the workbench again with the result under the form
// (what was typed kept).
func (h *Handler) runSample(rc *reqCtx, ds *market.Dataset, p *anonymizer.Policy, mode string, f url.Values) error {
	if h.deps.Blobs == nil {
		return market.Errorf(market.ErrNotFound, "not_found", "no dataset store")
	}
	v := &sampleView{}
	run, err := jobs.Sample(rc.r.Context(), h.deps.Blobs, ds, p, mode, jobs.SampleRows)
	switch {
	case errors.Is(err, anonymizer.ErrNoSolution):
		v.NoSolution = true
	case err != nil:
		if ctxErr := rc.r.Context().Err(); ctxErr != nil {
			return ctxErr
		}
		v.Error = err.Error()
	default:
		v.Rows = run.Input.Rows()
		v.Report = &run.Report
		rep := run.Report.Anonymizer
		v.LossChart = lossChart(rc, rep)
		sizes, suppressed := releaseClasses(run.Release, rep.QuasiIdentifiers)
		risk := profileRisk(sizes, suppressed)
		v.Risk = &risk
		v.RiskChart = riskChart(rc, risk, anonymizer.Mode(mode).Threshold())
		v.Alternatives = newAlternativesView(&run.Report)
		v.Preview = pairRows(run.Input, run.Release, rep.QuasiIdentifiers, samplePageRows)
	}
	return h.renderDatasetWith(rc, http.StatusOK, f, nil, v)
}

// pairRows pairs the first n rows of in with the same rows of release
// (which kept its suppressed rows), marking the suppressed ones ("*" in
// every quasi-identifier).
func pairRows(in, release *anonymizer.Table, qis []string, n int) *previewView {
	if in == nil || release == nil || in.Rows() != release.Rows() {
		return nil
	}
	var qcols []*anonymizer.Column
	for _, q := range qis {
		if c := release.Column(q); c != nil {
			qcols = append(qcols, c)
		}
	}
	p := &previewView{InHeader: in.Header(), OutHeader: release.Header()}
	for r := 0; r < n && r < in.Rows(); r++ {
		sup := len(qcols) > 0
		for _, c := range qcols {
			sup = sup && c.Value(r) == anonymizer.Suppressed
		}
		p.Rows = append(p.Rows, previewRow{N: r + 1, In: in.Row(r), Out: release.Row(r), Suppressed: sup})
	}
	return p
}
