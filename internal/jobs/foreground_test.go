package jobs

import (
	"context"
	"errors"
	"testing"
	"time"
)

// yieldAsync runs Yield in a goroutine and returns its result channel.
func yieldAsync(f *Foreground, ctx context.Context, max time.Duration) <-chan error {
	done := make(chan error, 1)
	go func() {
		_, err := f.Yield(ctx, max)
		done <- err
	}()
	return done
}

func TestForeground_YieldReturnsAtOnceWithNoRequestInFlight(t *testing.T) {
	f := NewForeground(time.Minute)
	if waited, err := f.Yield(context.Background(), time.Hour); err != nil || waited != 0 {
		t.Errorf("idle: waited %v, err %v; want no wait", waited, err)
	}
	leave := f.Enter()
	leave()
	if waited, err := f.Yield(context.Background(), time.Hour); err != nil || waited != 0 {
		t.Errorf("after a request left: waited %v, err %v; want no wait", waited, err)
	}
	var nilF *Foreground
	if waited, err := nilF.Yield(context.Background(), time.Hour); err != nil || waited != 0 {
		t.Errorf("nil Foreground: waited %v, err %v", waited, err)
	}
}

func TestForeground_YieldWaitsUntilTheLastRequestLeaves(t *testing.T) {
	f := NewForeground(time.Minute)
	a, b := f.Enter(), f.Enter()
	done := yieldAsync(f, context.Background(), time.Hour)
	a()
	a() // a second call counts nothing out
	if f.InFlight() != 1 {
		t.Fatalf("in flight %d after one of two left (twice), want 1", f.InFlight())
	}
	select {
	case err := <-done:
		t.Fatalf("Yield returned (%v) with a request still in flight", err)
	case <-time.After(50 * time.Millisecond):
	}
	b()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Yield still waiting after the last request left")
	}
}

func TestForeground_YieldGivesUpAfterItsLongestWait(t *testing.T) {
	f := NewForeground(time.Minute)
	defer f.Enter()()
	start := time.Now()
	waited, err := f.Yield(context.Background(), 30*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if waited < 30*time.Millisecond || time.Since(start) < 30*time.Millisecond {
		t.Errorf("waited %v, want the longest wait of 30ms", waited)
	}
}

func TestForeground_ALongRequestStopsCountingAfterLong(t *testing.T) {
	f := NewForeground(40 * time.Millisecond)
	leave := f.Enter() // an upload streaming for minutes
	defer leave()
	done := yieldAsync(f, context.Background(), time.Hour)
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a long request held background work back past Long")
	}
	if n := f.InFlight(); n != 0 {
		t.Errorf("in flight %d after Long, want 0", n)
	}
	leave() // its end, later, counts nothing out twice
	if n := f.InFlight(); n != 0 {
		t.Errorf("in flight %d after the long request ended, want 0", n)
	}
}

func TestForeground_YieldEndsWithItsContext(t *testing.T) {
	f := NewForeground(time.Minute)
	defer f.Enter()()
	ctx, cancel := context.WithCancel(context.Background())
	done := yieldAsync(f, ctx, time.Hour)
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Yield ignored its context")
	}
}

func TestForeground_SealYieldDefaults(t *testing.T) {
	for _, tc := range []struct {
		in, want time.Duration
	}{{0, DefaultSealYield}, {-1, -1}, {time.Second, time.Second}} {
		cfg := Config{SealYield: tc.in}
		cfg.defaults()
		if cfg.SealYield != tc.want {
			t.Errorf("SealYield %v: defaults to %v, want %v", tc.in, cfg.SealYield, tc.want)
		}
	}
}
