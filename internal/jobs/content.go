package jobs

import (
	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/market"
)

// minDetected is the share of a column's values an identifier type must
// match to count as found in it (as the gate reads a stored detection).
const minDetected = 0.3

// ContentProfile profiles table t for the content signatures of the
// Shaanxi Art. 36 gate (Art. 36(3), Art. 65): per column, its name, the
// identifier types detection d (when not nil) found in at least
// minDetected of the values examined, and the distinct values of up to
// market.ContentSampleValues rows spread over it (sampleValues). The
// values stay in memory: an upload stores only their scan
// (market.ScanContent), check-listing --dataset gives them to the gate.
func ContentProfile(t *anonymizer.Table, d *anonymizer.Detection) *market.ContentProfile {
	p := &market.ContentProfile{}
	for _, c := range t.Columns {
		col := market.ContentColumn{Name: c.Name}
		var cd *anonymizer.ColumnDetection
		if d != nil {
			cd = d.Column(c.Name)
		}
		if cd != nil {
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
		col.Samples = sampleValues(t, c)
		p.Columns = append(p.Columns, col)
	}
	return p
}

// sampleValues returns the distinct values of column c in at most
// market.ContentSampleValues rows of t spread evenly over it (every row
// of an upload's sample, which is that small): not the column's first
// distinct values, which a seller who puts other values first would
// choose.
func sampleValues(t *anonymizer.Table, c *anonymizer.Column) []string {
	rows := t.Rows()
	if rows <= market.ContentSampleValues && len(c.Dict) <= rows {
		return append([]string(nil), c.Dict...)
	}
	n := min(rows, market.ContentSampleValues)
	seen := make(map[string]bool, n)
	out := make([]string, 0, n)
	for i := range n {
		v := c.Value(int(int64(i) * int64(rows) / int64(n)))
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}
