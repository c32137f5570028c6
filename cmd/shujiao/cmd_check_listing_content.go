package main

import (
	"fmt"

	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/internal/jobs"
	"github.com/shujiao/shujiao/market"
)

// datasetContent reads the dataset file the listing sells and profiles it
// for the content signatures of the Art. 36 gate (Shaanxi Art. 36(3),
// Art. 65) as an upload does (jobs.ContentProfile): per column, its name,
// the identifier types the anonymizer's detectors find in it, and up to
// market.ContentSampleValues distinct values, with the scan of those
// values under rs that an upload stores (market.ScanContent), so that the
// gate decides from the same counts offline and through the API. An
// unreadable file is an input error.
func datasetContent(file string, rs *market.RuleSet) (*market.ContentProfile, error) {
	t, _, err := anonymizer.ReadFile(file, anonymizer.ReadOptions{})
	if err != nil {
		return nil, inputError(fmt.Errorf("--dataset: %w", err))
	}
	p := jobs.ContentProfile(t, anonymizer.Detect(t, anonymizer.DetectOptions{MaxRows: 10000}))
	p.Scan = market.ScanContent(rs, p, int64(t.Rows()))
	return p, nil
}
