package jobs

import (
	"context"
	"errors"
	"fmt"

	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/internal/blob"
	"github.com/shujiao/shujiao/market"
)

// Scanner reads stored datasets again for the content signatures of the
// Art. 36 gate (market.ValueScanner). It is safe for concurrent use.
type Scanner struct {
	Blobs *blob.Store
}

var _ market.ValueScanner = Scanner{}

// ScanDataset reads d's stored file in one streaming pass, keeping the
// sample an upload keeps (anonymizer.ProfileTable), and returns the scan
// of its values under rs (market.ScanContent); the values are not kept.
// It returns ctx's error when cancelled and a wrapped error when the
// file cannot be read.
func (s Scanner) ScanDataset(ctx context.Context, d *market.Dataset, rs *market.RuleSet) (*market.ContentScan, error) {
	release, err := slots.acquire(ctx) // profile_slots.go: uploads and rescans share the budget
	if err != nil {
		return nil, fmt.Errorf("dataset %s: %w", d.ID, err)
	}
	defer release()
	format := anonymizer.Format(d.Format)
	rc, err := s.Blobs.OpenReader(d.SHA256, format == anonymizer.FormatParquet)
	if err != nil {
		return nil, fmt.Errorf("dataset %s: %w", d.ID, err)
	}
	defer rc.Close()
	p, err := anonymizer.ProfileTable(ctx, rc, d.Name, anonymizer.ProfileOptions{Format: format, Unpredictable: true})
	if err != nil {
		return nil, fmt.Errorf("dataset %s: %w", d.ID, errors.Join(err, ctx.Err()))
	}
	return market.ScanContent(rs, ContentProfile(p.Sample, nil), int64(p.Sample.Rows())), nil
}
