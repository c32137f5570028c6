package market

import (
	"context"
	"fmt"
	"math"
	"sync"
	"time"

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
	guard   *ScanGuard
}

// NewContentScans returns the service over store, rules and scanner,
// behind the process's ScanGuard (RescanGuard), which the JSON API and
// the pages share.
func NewContentScans(store ContentScanStore, rules CurrentRuleSetReader, scanner ValueScanner) *ContentScans {
	return &ContentScans{store: store, rules: rules, scanner: scanner, guard: RescanGuard}
}

// Bounds on rescans per party (ScanGuard).
const (
	ScansPerHour = 30
	ScanBurst    = 10
)

// RescanGuard is the ScanGuard of this process's rescans.
var RescanGuard = NewScanGuard(time.Now)

// ScanGuard bounds what a seller can make the server read: a rescan reads
// and decrypts a dataset's whole stored file, up to the upload limit,
// inside the request. A party runs one rescan at a time (two at once of
// one dataset would also race to store their counts) and at most
// ScansPerHour an hour, in bursts of ScanBurst. The bounds hold per
// process (each of several servers has its own). It is safe for
// concurrent use.
type ScanGuard struct {
	mu      sync.Mutex
	now     func() time.Time
	running map[PartyID]bool
	tokens  map[PartyID]scanTokens
}

type scanTokens struct {
	left float64
	at   time.Time
}

// NewScanGuard returns a guard reading the time from now.
func NewScanGuard(now func() time.Time) *ScanGuard {
	return &ScanGuard{now: now, running: map[PartyID]bool{}, tokens: map[PartyID]scanTokens{}}
}

// start admits a rescan by party and returns the function that ends it,
// or an ErrTooManyAttempts *Error (code rate_limited, Details RetryAfter).
func (g *ScanGuard) start(party PartyID) (done func(), err error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.running[party] {
		return nil, &Error{Kind: ErrTooManyAttempts, Code: "rate_limited", Details: RetryAfter{Seconds: 5},
			Message: "a scan of your party's datasets is running: one at a time; retry when it has ended"}
	}
	now := g.now()
	const rate = ScansPerHour / 3600.0
	t, ok := g.tokens[party]
	if !ok {
		t = scanTokens{left: ScanBurst, at: now}
	}
	t.left = min(ScanBurst, t.left+now.Sub(t.at).Seconds()*rate)
	t.at = now
	if t.left < 1 {
		wait := int(math.Ceil((1 - t.left) / rate))
		g.tokens[party] = t
		return nil, &Error{Kind: ErrTooManyAttempts, Code: "rate_limited", Details: RetryAfter{Seconds: wait},
			Message: fmt.Sprintf("too many dataset scans by your party: at most %d an hour (bursts of %d); retry in %d s", ScansPerHour, ScanBurst, wait)}
	}
	t.left--
	g.tokens[party] = t
	if len(g.tokens) > 4096 { // forget parties whose burst is whole again
		for p, t := range g.tokens {
			if t.left+now.Sub(t.at).Seconds()*rate >= ScanBurst && !g.running[p] {
				delete(g.tokens, p)
			}
		}
	}
	g.running[party] = true
	return func() {
		g.mu.Lock()
		defer g.mu.Unlock()
		delete(g.running, party)
	}, nil
}

// Rescan scans the values of dataset id, as its seller, under the rule set
// in force, stores the counts in place of the old scan and returns the
// dataset. The file scanned is the stored one (its SHA-256 is what a
// listing sells), so the seller supplies nothing. Errors: ErrForbidden
// (forbidden_role) for an actor that is not a seller; ErrNotFound
// (dataset_not_found) when there is none or it is another party's;
// ErrTooManyAttempts (rate_limited, Details RetryAfter) past the party's
// bounds (ScanGuard); otherwise the scanner's or the storage's, wrapped.
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
	done, err := s.guard.start(actor.PartyID)
	if err != nil {
		return nil, err
	}
	defer done()
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
