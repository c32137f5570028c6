package jobs

import (
	"github.com/shujiao/shujiao/anonymizer"
)

// Report is what a de-identification job records about its release (the
// artifact's report): the summary the catalog shows, the anonymizer's
// report (the JSON of `shujiao anonymize --report`) and the
// irreversibility gate's verdict.
type Report struct {
	Summary    Summary                `json:"summary"`
	Anonymizer *anonymizer.Report     `json:"anonymizer"`
	Gate       *anonymizer.GateResult `json:"gate"`

	// Alternatives are the best other transformations that satisfy the
	// same models (anonymizer.Alternatives), lowest loss first; a seller
	// may pick one, which queues the job again with its levels as the
	// policy's max_levels.
	Alternatives []anonymizer.Alternative `json:"alternatives,omitempty"`
}

// TopAlternatives is how many alternative transformations a job records.
const TopAlternatives = 5

// Summary is the short form of a release's de-identification, shown with
// every catalog entry.
type Summary struct {
	RowsIn         int            `json:"rows_in"`
	RowsOut        int            `json:"rows_out"`
	Suppressed     int            `json:"suppressed"`
	Classes        int            `json:"classes"`
	MinClassSize   int            `json:"min_class_size"`
	Models         []string       `json:"models"`
	K              int            `json:"k"`
	L              string         `json:"l,omitempty"`
	T              float64        `json:"t,omitempty"`
	Transformation map[string]int `json:"transformation"`
	Loss           float64        `json:"loss"`
	Risk           float64        `json:"risk"`
	Level          string         `json:"level"`
	Mode           string         `json:"mode"`
	Passed         bool           `json:"passed"`
	Optimal        bool           `json:"optimal"`
}

func newReport(rep *anonymizer.Report, gate *anonymizer.GateResult) Report {
	return Report{
		Summary: Summary{RowsIn: rep.RowsIn, RowsOut: rep.RowsOut, Suppressed: rep.Suppressed, Classes: rep.Classes,
			MinClassSize: rep.MinClassSize, Models: rep.Models.Names, K: rep.Models.K, L: rep.Models.L, T: rep.Models.T,
			Transformation: rep.Transformation, Loss: rep.Metrics.Loss, Risk: gate.Risk, Level: string(gate.Level),
			Mode: string(gate.Mode), Passed: gate.Passed, Optimal: rep.Optimal},
		Anonymizer: rep, Gate: gate,
	}
}
