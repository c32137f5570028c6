package market

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
)

// scanWorld is a ContentScans over datasets in memory and a scanner that
// blocks while its channel is open.
type scanWorld struct {
	mu       sync.Mutex
	datasets map[uuid.UUID]*Dataset
	scanned  int
	hold     chan struct{} // ScanDataset waits until it is closed (nil: no wait)
	entered  chan struct{}
}

func (w *scanWorld) Dataset(_ context.Context, id uuid.UUID) (*Dataset, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	d, ok := w.datasets[id]
	if !ok {
		return nil, Errorf(ErrNotFound, "dataset_not_found", "no dataset")
	}
	c := *d
	return &c, nil
}

func (w *scanWorld) SetContentScan(context.Context, uuid.UUID, *ContentScan) error { return nil }

func (w *scanWorld) CurrentRuleSet(context.Context) (*RuleSet, error) { return DefaultRuleSet(), nil }

func (w *scanWorld) ScanDataset(ctx context.Context, d *Dataset, rs *RuleSet) (*ContentScan, error) {
	w.mu.Lock()
	w.scanned++
	hold, entered := w.hold, w.entered
	w.mu.Unlock()
	if hold != nil {
		entered <- struct{}{}
		<-hold
	}
	return ScanContent(rs, nil, 0), nil
}

// A rescan reads and decrypts a dataset's whole stored file inside the
// request: a seller who keeps asking must not keep the server reading. A
// party runs one rescan at a time and ScanBurst in a row, then one every
// 3600/ScansPerHour s; another party is not affected; a refusal says when
// to come back (RetryAfter) and reads nothing.
func TestContentScans_RescansArePacedPerParty(t *testing.T) {
	w := &scanWorld{datasets: map[uuid.UUID]*Dataset{}}
	seller, other := Actor{PartyID: PartyID(NewID()), Roles: []Role{RoleSeller}}, Actor{PartyID: PartyID(NewID()), Roles: []Role{RoleSeller}}
	mine, theirs := uuid.New(), uuid.New()
	w.datasets[mine] = &Dataset{ID: mine, PartyID: seller.PartyID}
	w.datasets[theirs] = &Dataset{ID: theirs, PartyID: other.PartyID}
	now := time.Date(2026, 12, 5, 8, 0, 0, 0, time.UTC)
	s := NewContentScans(w, w, w)
	s.guard = NewScanGuard(func() time.Time { return now })
	ctx := context.Background()
	limited := func(err error) int {
		t.Helper()
		var e *Error
		if !errors.As(err, &e) || !errors.Is(err, ErrTooManyAttempts) || e.Code != "rate_limited" {
			t.Fatalf("err %v, want ErrTooManyAttempts rate_limited", err)
		}
		ra, ok := e.Details.(RetryAfter)
		if !ok || ra.Seconds < 1 {
			t.Fatalf("details %#v, want a RetryAfter", e.Details)
		}
		return ra.Seconds
	}

	// One at a time: a second rescan while the first reads is refused.
	w.hold, w.entered = make(chan struct{}), make(chan struct{})
	first := make(chan error)
	go func() { _, err := s.Rescan(ctx, seller, mine); first <- err }()
	<-w.entered
	_, err := s.Rescan(ctx, seller, mine)
	limited(err)
	close(w.hold)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	w.hold = nil
	if w.scanned != 1 {
		t.Fatalf("%d scans read, want 1 (the refused one reads nothing)", w.scanned)
	}

	// The burst (the first scan spent one), then a refusal until a token is back.
	for i := 1; i < ScanBurst; i++ {
		if _, err := s.Rescan(ctx, seller, mine); err != nil {
			t.Fatalf("scan %d of the burst: %v", i+1, err)
		}
	}
	_, err = s.Rescan(ctx, seller, mine)
	if wait := limited(err); wait != 3600/ScansPerHour {
		t.Errorf("retry after %d s, want %d", wait, 3600/ScansPerHour)
	}
	if _, err := s.Rescan(ctx, other, theirs); err != nil {
		t.Errorf("another party's scan: %v", err)
	}
	now = now.Add(3600 / ScansPerHour * time.Second)
	if _, err := s.Rescan(ctx, seller, mine); err != nil {
		t.Errorf("a scan once a token is back: %v", err)
	}
	if _, err := s.Rescan(ctx, seller, mine); err == nil {
		t.Error("two scans on one token")
	}
}
