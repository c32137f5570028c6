package httpapi

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// countingForeground records the requests counted in and out.
type countingForeground struct {
	mu          sync.Mutex
	in, entered int
}

func (f *countingForeground) Enter() func() {
	f.mu.Lock()
	f.in++
	f.entered++
	f.mu.Unlock()
	return func() {
		f.mu.Lock()
		f.in--
		f.mu.Unlock()
	}
}

func (f *countingForeground) counts() (in, entered int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.in, f.entered
}

// blockingPinger holds /readyz until released, telling when it started.
type blockingPinger struct{ started, release chan struct{} }

func (p blockingPinger) Ping(context.Context) error {
	close(p.started)
	<-p.release
	return nil
}

// Every request counts as foreground while it is answered — routes, unknown
// paths alike — so that the server's background sealing gives way to it.
func TestForeground_CountsEachRequestWhileItIsAnswered(t *testing.T) {
	t.Parallel()
	fg := &countingForeground{}
	db := blockingPinger{started: make(chan struct{}), release: make(chan struct{})}
	srv := New(Config{}, Deps{DB: db, Foreground: fg})
	done := make(chan int)
	go func() {
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
		done <- rec.Code
	}()
	<-db.started
	if in, _ := fg.counts(); in != 1 {
		t.Fatalf("%d requests in flight while /readyz is answered, want 1", in)
	}
	close(db.release)
	if code := <-done; code != http.StatusOK {
		t.Fatalf("/readyz %d", code)
	}
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/v1/no-such-route", nil))
	if rec.Code != http.StatusNotFound {
		t.Fatalf("unknown route %d", rec.Code)
	}
	if in, entered := fg.counts(); in != 0 || entered != 2 {
		t.Errorf("in flight %d after both answers, entered %d; want 0 and 2", in, entered)
	}
}
