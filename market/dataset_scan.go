package market

import (
	"context"
	"fmt"

	"github.com/google/uuid"
)

// ContentScanStore is the storage the ContentScans service works through
// (implemented by internal/postgres): the dataset, and its stored content
// scan replaced. Neither checks who asks.
type ContentScanStore interface {
	Dataset(ctx context.Context, id uuid.UUID) (*Dataset, error)
	// SetContentScan replaces the content scan of dataset id; ErrNotFound
	// when there is no such dataset.
	SetContentScan(ctx context.Context, id uuid.UUID, scan *ContentScan) error
}

// CurrentRuleSetReader reads the rule set in force.
type CurrentRuleSetReader interface {
	CurrentRuleSet(ctx context.Context) (*RuleSet, error)
}

// ValueScanner reads a stored dataset's file again, keeping the bounded
// sample an upload keeps, and scans its values with rs's content
// signatures (ScanContent). internal/jobs.Scanner implements it.
type ValueScanner interface {
	ScanDataset(ctx context.Context, d *Dataset, rs *RuleSet) (*ContentScan, error)
}

// ContentScans is the use case of scanning a stored dataset's values again
// under the rule set in force (Shaanxi Art. 36(3)): a dataset uploaded
// before values were scanned, or scanned with value patterns the rule set
// has since changed, is a listing in review (RuleContentUnscanned) until
// its values are scanned. It is safe for concurrent use.
type ContentScans struct {
	store   ContentScanStore
	rules   CurrentRuleSetReader
	scanner ValueScanner
}

// NewContentScans returns the service over store, rules and scanner.
func NewContentScans(store ContentScanStore, rules CurrentRuleSetReader, scanner ValueScanner) *ContentScans {
	return &ContentScans{store: store, rules: rules, scanner: scanner}
}

// Rescan scans the values of dataset id, as its seller, under the rule set
// in force, stores the counts in place of the old scan and returns the
// dataset. The file scanned is the stored one (its SHA-256 is what a
// listing sells), so the seller supplies nothing. Errors: ErrForbidden
// (forbidden_role) for an actor that is not a seller; ErrNotFound
// (dataset_not_found) when there is none or it is another party's;
// otherwise the scanner's or the storage's, wrapped.
func (s *ContentScans) Rescan(ctx context.Context, actor Actor, id uuid.UUID) (*Dataset, error) {
	if err := actor.RequireRole(RoleSeller); err != nil {
		return nil, err
	}
	d, err := s.store.Dataset(ctx, id)
	if err == nil && d.PartyID != actor.PartyID {
		err = hidden("dataset", id)
	}
	if err != nil {
		return nil, fmt.Errorf("scan dataset %s: %w", id, err)
	}
	rs, err := s.rules.CurrentRuleSet(ctx)
	if err != nil {
		return nil, fmt.Errorf("scan dataset %s: %w", id, err)
	}
	scan, err := s.scanner.ScanDataset(ctx, d, rs)
	if err != nil {
		return nil, fmt.Errorf("scan dataset %s: %w", id, err)
	}
	if err := s.store.SetContentScan(ctx, id, scan); err != nil {
		return nil, fmt.Errorf("scan dataset %s: %w", id, err)
	}
	d.ContentScan = scan
	return d, nil
}
