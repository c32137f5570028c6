package anonymizer

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// Report is the JSON report of one anonymization run (`shujiao anonymize
// --report FILE` or `--json`). Its keys are stable; docs/anonymizer.md
// documents each one. Every metric and risk figure is lower-is-better.
type Report struct {
	Input            string       `json:"input"`
	Output           string       `json:"output"`
	RowsIn           int          `json:"rows_in"`
	RowsOut          int          `json:"rows_out"`
	Models           ReportModels `json:"models"`
	Algorithm        Algorithm    `json:"algorithm"`
	Metric           Metric       `json:"metric"`
	QuasiIdentifiers []string     `json:"quasi_identifiers"`
	Sensitive        []string     `json:"sensitive"`
	Dropped          []string     `json:"dropped"`
	Pseudonymized    []string     `json:"pseudonymized"`
	// Pseudonymization names the method and platform key ID of the
	// pseudonyms (never the key); nil when nothing was pseudonymized.
	Pseudonymization *PseudonymMethodInfo `json:"pseudonymization,omitempty"`
	// SuppressedSensitive says the sensitive values of suppressed records
	// were suppressed too.
	SuppressedSensitive bool              `json:"suppressed_sensitive,omitempty"`
	Hierarchies         map[string]string `json:"hierarchies"`
	Transformation      map[string]int    `json:"transformation"`
	Suppressed          int               `json:"suppressed"`
	DropSuppressed      bool              `json:"drop_suppressed"`
	Classes             int               `json:"classes"`
	MinClassSize        int               `json:"min_class_size"`
	AvgClassSize        float64           `json:"avg_class_size"`
	Metrics             Metrics           `json:"metrics"`
	Risk                Risk              `json:"risk"`
	Optimal             bool              `json:"optimal"`
	NodesChecked        int64             `json:"nodes_checked"`
	LatticeSize         float64           `json:"lattice_size"`
	TimingsMS           Timings           `json:"timings_ms"`

	// ColumnLoss is the loss of each quasi-identifier (ARX's Loss of the
	// column alone; metrics.loss is their geometric aggregate); absent for
	// a Mondrian release (column_loss.go).
	ColumnLoss map[string]float64 `json:"column_loss,omitempty"`
}

// ReportModels are the privacy models of a run.
type ReportModels struct {
	K           int     `json:"k"`
	L           string  `json:"l,omitempty"`
	T           float64 `json:"t,omitempty"`
	TDistance   string  `json:"t_distance,omitempty"`
	Suppression float64 `json:"suppression"`
	// Names renders the models, e.g. ["5-anonymity", "distinct:2-diversity"].
	Names []string `json:"names"`
}

// Timings are the durations of a run's phases in milliseconds. Read,
// Search, Write and Total are always present; the finer phases, absent
// when not measured, show where the rest of Total goes.
type Timings struct {
	Read   float64 `json:"read"`
	Search float64 `json:"search"`
	Write  float64 `json:"write"`
	Total  float64 `json:"total"`
	// Prepare: from the end of the read to the start of Anonymize (line
	// numbers, spill, hierarchies built from the data, policy caps, key).
	Prepare float64 `json:"prepare,omitempty"`
	// Encode: the quasi-identifiers mapped through their hierarchies and
	// the bottom node counted, before the search.
	Encode float64 `json:"encode,omitempty"`
	// Release: the transformation applied after the search (suppression,
	// generalized and pseudonymized columns, metrics and risk).
	Release float64 `json:"release,omitempty"`
	// Pseudonymize: the part of Release spent on pseudonyms.
	Pseudonymize float64 `json:"pseudonymize,omitempty"`
	// Report: the report's figures computed from the release (column loss).
	Report float64 `json:"report,omitempty"`
}

// Millis converts d to milliseconds for Timings.
func Millis(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// NewReport builds the report of res under cfg. input, output and the
// hierarchy specs are recorded as given; timings are filled by the caller.
func NewReport(res *Result, cfg Config, input, output string, specs map[string]string) *Report {
	r := &Report{
		Input: input, Output: output, RowsIn: res.RowsIn, RowsOut: res.RowsOut,
		Algorithm: cfg.Algorithm, Metric: cfg.Metric,
		QuasiIdentifiers: nonNil(cfg.QuasiIdentifiers), Sensitive: nonNil(cfg.Sensitive),
		Dropped: nonNil(cfg.Drop), Pseudonymized: nonNil(cfg.Pseudonymize), Pseudonymization: cfg.pseudonymInfo(), SuppressedSensitive: cfg.SuppressSensitive,
		Hierarchies: map[string]string{}, Transformation: res.Transformation,
		Suppressed: res.Suppressed, DropSuppressed: cfg.DropSuppressed, Classes: res.Classes,
		MinClassSize: res.MinClassSize, AvgClassSize: res.AvgClassSize,
		Metrics: res.Metrics, Risk: res.Risk, Optimal: res.Optimal,
		NodesChecked: res.NodesChecked, LatticeSize: res.LatticeSize,
		ColumnLoss: columnLoss(res, cfg),
	}
	if r.Algorithm == "" {
		r.Algorithm = AlgorithmOptimal
	}
	if r.Metric == "" {
		r.Metric = MetricLoss
	}
	for k, v := range specs {
		r.Hierarchies[k] = v
	}
	m := cfg.Models
	r.Models = ReportModels{K: max(m.K, 1), T: m.T, Suppression: m.Suppression, Names: nonNil(m.Strings())}
	if m.L != nil {
		r.Models.L = m.L.String()
	}
	if m.T > 0 {
		r.Models.TDistance = string(m.TDistance)
		if m.TDistance == TAuto {
			r.Models.TDistance = "auto"
		}
	}
	r.TimingsMS.Search = Millis(res.SearchDuration)
	r.TimingsMS.Encode, r.TimingsMS.Release = Millis(res.Phases.Encode), Millis(res.Phases.Release)
	r.TimingsMS.Pseudonymize = Millis(res.Phases.Pseudonymize)
	return r
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// WriteSummary writes a short human summary of the report to w.
func (r *Report) WriteSummary(w io.Writer) error {
	levels := make([]string, 0, len(r.QuasiIdentifiers))
	for _, q := range r.QuasiIdentifiers {
		levels = append(levels, fmt.Sprintf("%s=%d", q, r.Transformation[q]))
	}
	opt := "optimal"
	if !r.Optimal {
		opt = "not proven optimal"
	}
	_, err := fmt.Fprintf(w, "anonymized %s → %s: %d rows in, %d out; %s\n"+
		"transformation %s (algorithm %s, %s, %d nodes checked)\n"+
		"%d suppressed, %d classes (min %d, avg %.1f); loss %.4f, precision %.4f\n"+
		"prosecutor risk max %.4f avg %.4f; records above 1/20: %.2f%%; sample uniques %.2f%% → %.2f%%\n"+
		"timings: read %.0f ms, search %.0f ms, write %.0f ms\n",
		r.Input, r.Output, r.RowsIn, r.RowsOut, strings.Join(r.Models.Names, ", "),
		strings.Join(levels, " "), r.Algorithm, opt, r.NodesChecked,
		r.Suppressed, r.Classes, r.MinClassSize, r.AvgClassSize, r.Metrics.Loss, r.Metrics.Precision,
		r.Risk.ProsecutorMax, r.Risk.ProsecutorAvg, 100*r.Risk.RecordsAbove["0.05"],
		100*r.Risk.SampleUniquesBefore, 100*r.Risk.SampleUniquesAfter,
		r.TimingsMS.Read, r.TimingsMS.Search, r.TimingsMS.Write)
	return err
}
