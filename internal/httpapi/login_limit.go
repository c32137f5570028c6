package httpapi

import (
	"sync"
	"time"
)

// loginLimiter slows password guessing: after max failed logins for one key
// (an email, a client address) within window, further attempts with that
// key are refused until the window that began with the first failure ends.
// It is in memory, per server process, and safe for concurrent use.
type loginLimiter struct {
	mu     sync.Mutex
	window time.Duration
	now    func() time.Time
	fails  map[string]*failures
}

type failures struct {
	since time.Time
	n     int
}

// maxLimiterKeys bounds the limiter's memory: beyond it, ended windows are
// swept before a new key is added.
const maxLimiterKeys = 100_000

func newLoginLimiter(window time.Duration) *loginLimiter {
	return &loginLimiter{window: window, now: time.Now, fails: map[string]*failures{}}
}

// allow reports whether a login with key may be tried, given at most max
// failures per window; when not, it returns how long to wait.
func (l *loginLimiter) allow(key string, max int) (time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	f, ok := l.fails[key]
	if !ok {
		return 0, true
	}
	end := f.since.Add(l.window)
	now := l.now()
	if !now.Before(end) {
		delete(l.fails, key)
		return 0, true
	}
	if f.n < max {
		return 0, true
	}
	return end.Sub(now), false
}

// failed records a failed login for key.
func (l *loginLimiter) failed(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	f, ok := l.fails[key]
	if ok && now.Sub(f.since) < l.window {
		f.n++
		return
	}
	if !ok && len(l.fails) >= maxLimiterKeys {
		for k, f := range l.fails {
			if now.Sub(f.since) >= l.window {
				delete(l.fails, k)
			}
		}
	}
	l.fails[key] = &failures{since: now, n: 1}
}

// reset forgets key's failures (after a successful login).
func (l *loginLimiter) reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.fails, key)
}
