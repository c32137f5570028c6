package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/internal/blob"
	"github.com/shujiao/shujiao/market"
)

// Info is what Inspect learns of an uploaded dataset.
type Info struct {
	Format  anonymizer.Format
	Rows    int64
	Columns []string
	// Detection is the detection report: identifier types per column and
	// the proposed role of each column.
	Detection json.RawMessage
	// Content is the profile of the sampled values for the content
	// signatures (ContentProfile): in memory only, never stored — store
	// ScanContent's counts.
	Content *market.ContentProfile
	// SampleRows is how many rows Content was drawn from.
	SampleRows int64
}

// ScanContent runs the value patterns of rule set rs's content signatures
// over the sampled values (market.ScanContent): the counts to store with
// the dataset (Shaanxi Art. 36(3)).
func (i Info) ScanContent(rs *market.RuleSet) *market.ContentScan {
	return market.ScanContent(rs, i.Content, i.SampleRows)
}

// detectRows caps the rows detection examines per column (evenly spread).
const detectRows = 100_000

// Inspect reads stored blob sum (uploaded as name) as a table and runs PII
// detection on it, so that an upload proposes the columns' roles. A file
// that is not a readable table is an ErrInvalid *market.Error (code
// unreadable_table) whose message names the line and column at fault.
func Inspect(ctx context.Context, blobs *blob.Store, sum, name string) (Info, error) {
	rc, err := blobs.Open(sum)
	if err != nil {
		return Info{}, fmt.Errorf("inspect upload: %w", err)
	}
	defer rc.Close()
	t, f, err := anonymizer.ReadTable(rc, name, anonymizer.ReadOptions{})
	if errors.Is(err, blob.ErrCorrupt) {
		return Info{}, fmt.Errorf("inspect upload: %w", err)
	}
	if err != nil {
		return Info{}, market.Invalid("file", "unreadable_table", "file: %s", err.Error())
	}
	if err := ctx.Err(); err != nil {
		return Info{}, err
	}
	d := anonymizer.Detect(t, anonymizer.DetectOptions{MaxRows: detectRows})
	det, err := json.Marshal(d)
	if err != nil {
		return Info{}, fmt.Errorf("inspect upload: %w", err)
	}
	return Info{Format: f, Rows: int64(t.Rows()), Columns: t.Header(), Detection: det,
		Content: ContentProfile(t, d), SampleRows: int64(t.Rows())}, nil
}
