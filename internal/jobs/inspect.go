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
	det, err := json.Marshal(anonymizer.Detect(t, anonymizer.DetectOptions{MaxRows: detectRows}))
	if err != nil {
		return Info{}, fmt.Errorf("inspect upload: %w", err)
	}
	return Info{Format: f, Rows: int64(t.Rows()), Columns: t.Header(), Detection: det}, nil
}
