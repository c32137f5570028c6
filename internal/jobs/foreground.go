package jobs

import (
	"context"
	"sync"
	"time"
)

// Foreground counts the requests a server is answering, so that its
// background work can give way to them: a seal starts when no request is
// in flight, or after waiting SealYield, whichever comes first
// (bench/load.md). An order placed while the cores seal other orders'
// deliveries waits for them at every scheduling point (the Go scheduler
// preempts a busy goroutine only every 10 ms, PostgreSQL's backends share
// the same cores); sealing is background work and can wait for a gap.
//
// A request counts for at most Long: an upload, a download or a rescan
// that streams for minutes stops holding seals back after it, as the
// cores are then the long request's and the seals' to share. The zero
// value is not usable; build it with NewForeground. Safe for concurrent
// use.
type Foreground struct {
	long time.Duration
	mu   sync.Mutex
	n    int
	// idle is closed when n falls to zero; a new one is made when n
	// leaves zero.
	idle chan struct{}
}

// ForegroundLong is how long a request holds background work back at
// most (Foreground).
const ForegroundLong = time.Second

// NewForeground returns a Foreground counting each request for at most
// long (ForegroundLong when long ≤ 0).
func NewForeground(long time.Duration) *Foreground {
	if long <= 0 {
		long = ForegroundLong
	}
	idle := make(chan struct{})
	close(idle)
	return &Foreground{long: long, idle: idle}
}

// Enter counts a request in; the returned function counts it out (call it
// once the answer is written; calling it again does nothing). After the
// Foreground's Long the request no longer counts, whether or not it ended.
func (f *Foreground) Enter() (leave func()) {
	f.mu.Lock()
	f.n++
	if f.n == 1 {
		f.idle = make(chan struct{})
	}
	f.mu.Unlock()
	var once sync.Once
	out := func() {
		once.Do(func() {
			f.mu.Lock()
			f.n--
			if f.n == 0 {
				close(f.idle)
			}
			f.mu.Unlock()
		})
	}
	t := time.AfterFunc(f.long, out)
	return func() {
		t.Stop()
		out()
	}
}

// InFlight returns how many requests count now.
func (f *Foreground) InFlight() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.n
}

// Yield waits until no request counts, at most max, and returns how long
// it waited. It returns ctx's error when ctx ends first. A nil Foreground
// or a max ≤ 0 waits for nothing.
func (f *Foreground) Yield(ctx context.Context, max time.Duration) (time.Duration, error) {
	if f == nil || max <= 0 {
		return 0, nil
	}
	f.mu.Lock()
	idle := f.idle
	f.mu.Unlock()
	select {
	case <-idle:
		return 0, nil
	default:
	}
	start := time.Now()
	t := time.NewTimer(max)
	defer t.Stop()
	select {
	case <-idle:
	case <-t.C:
	case <-ctx.Done():
		return time.Since(start), ctx.Err()
	}
	return time.Since(start), nil
}
