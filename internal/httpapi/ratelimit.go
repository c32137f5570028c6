package httpapi

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

// rateLimiter is a token bucket per key (a client address, a party): each
// key may make burst requests at once and rate per second after that. Keys
// idle long enough to have a full bucket are forgotten. It is safe for
// concurrent use.
type rateLimiter struct {
	rate  float64 // tokens per second
	burst float64
	now   func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newRateLimiter(perSecond float64, burst int) *rateLimiter {
	return &rateLimiter{rate: perSecond, burst: float64(burst), now: time.Now, buckets: map[string]*bucket{}}
}

// take spends one token of key; when none is left it returns false and how
// long until one is.
func (l *rateLimiter) take(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.sweep(now)
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[key] = b
	}
	b.tokens = math.Min(l.burst, b.tokens+now.Sub(b.at).Seconds()*l.rate)
	b.at = now
	if b.tokens < 1 {
		return false, time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
	}
	b.tokens--
	return true, 0
}

// peek reports whether key has a token left, without spending it, and
// how long until one is.
func (l *rateLimiter) peek(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	if !ok {
		return true, 0
	}
	tokens := math.Min(l.burst, b.tokens+l.now().Sub(b.at).Seconds()*l.rate)
	if tokens < 1 {
		return false, time.Duration((1 - tokens) / l.rate * float64(time.Second))
	}
	return true, 0
}

// sweep forgets the buckets that have refilled, once a minute.
func (l *rateLimiter) sweep(now time.Time) {
	if now.Sub(l.swept) < time.Minute {
		return
	}
	l.swept = now
	full := time.Duration(l.burst / l.rate * float64(time.Second))
	for k, b := range l.buckets {
		if now.Sub(b.at) > full {
			delete(l.buckets, k)
		}
	}
}

// limit returns middleware that answers 429 rate_limited (with
// Retry-After) once the key keyOf gives the request has no tokens left.
// what names the limit in the problem's detail.
func (s *Server) limit(l *rateLimiter, what string, keyOf func(c *gin.Context) string) gin.HandlerFunc {
	return func(c *gin.Context) {
		if s.allow(c, l, what, keyOf) {
			c.Next()
		}
	}
}

// allow spends a token of the request's key and reports whether it had
// one; when not, it has answered 429.
func (s *Server) allow(c *gin.Context, l *rateLimiter, what string, keyOf func(c *gin.Context) string) bool {
	ok, wait := l.take(keyOf(c))
	if ok {
		return true
	}
	secs := max(int(math.Ceil(wait.Seconds())), 1)
	c.Header("Retry-After", strconv.Itoa(secs))
	s.fail(c, &httpError{http.StatusTooManyRequests, "rate_limited",
		fmt.Sprintf("too many %s: at most %g per second (bursts of %g); retry in %d s", what, l.rate, l.burst, secs)})
	return false
}

// byClient keys a request by the client's address.
func byClient(c *gin.Context) string { return "ip:" + c.ClientIP() }

// byParty keys an authenticated request by the caller's party (its user
// when it has none), anonymous ones by address.
func byParty(c *gin.Context) string {
	a, ok := callerOf(c)
	if !ok {
		return byClient(c)
	}
	if a.PartyID.String() != "00000000-0000-0000-0000-000000000000" {
		return "party:" + a.PartyID.String()
	}
	return "user:" + a.UserID.String()
}
