package main

import (
	"fmt"

	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/market"
)

// contentSamples is how many distinct values of each column check-listing
// --dataset gives the content signatures.
const contentSamples = 200

// datasetContent reads the dataset file the listing sells and profiles it
// for the content signatures of the Art. 36 gate (Shaanxi Art. 36(3),
// Art. 65): per column, its name, the identifier types the anonymizer's
// detectors find in it (at least minDetected of the values examined), and
// up to contentSamples distinct values. An unreadable file is an input error.
func datasetContent(file string) (*market.ContentProfile, error) {
	t, _, err := anonymizer.ReadFile(file, anonymizer.ReadOptions{})
	if err != nil {
		return nil, inputError(fmt.Errorf("--dataset: %w", err))
	}
	d := anonymizer.Detect(t, anonymizer.DetectOptions{MaxRows: 10000})
	p := &market.ContentProfile{}
	for _, c := range t.Columns {
		col := market.ContentColumn{Name: c.Name}
		if cd := d.Column(c.Name); cd != nil {
			for _, tm := range cd.Types {
				if tm.MatchRate >= minDetected {
					col.Detected = append(col.Detected, string(tm.Type))
				}
			}
			for _, h := range cd.FreeTextHits {
				if h.Rate >= minDetected {
					col.Detected = append(col.Detected, string(h.Type))
				}
			}
		}
		for _, v := range c.Dict {
			if len(col.Samples) == contentSamples {
				break
			}
			col.Samples = append(col.Samples, v)
		}
		p.Columns = append(p.Columns, col)
	}
	return p, nil
}

// minDetected is the share of a column's values an identifier type must
// match to count as found in it (as the API reads the stored detection).
const minDetected = 0.3
