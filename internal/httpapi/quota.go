package httpapi

import (
	"fmt"
	"math"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
)

// Per-party quotas on requests that make the platform do lasting work on a
// party's behalf: signing a tree head (each head is stored, witnessed and
// signed with the platform key for good) and raising regulator flags (a
// quote or an order may raise one, under Shaanxi Art. 37 or 72, and each
// lands in the regulator's queue; only refused requests count). A party
// past its quota gets 429 rate_limited with Retry-After; other parties are
// not affected.
const (
	headQuotaPerHour = 120
	headQuotaBurst   = 60
	flagQuotaPerHour = 1200
	flagQuotaBurst   = 300
)

// headQuota limits the requests that may sign a tree head, per party.
func (s *Server) headQuota() gin.HandlerFunc {
	if s.heads == nil {
		s.heads = newRateLimiter(headQuotaPerHour/3600.0, headQuotaBurst)
	}
	return s.limit(s.heads, "signed-head requests by your party", byParty)
}

// flagQuota limits, per party, the refused requests that may raise a
// regulator flag (an order refused under Shaanxi Art. 72, a quote the
// Art. 37 audit flags): each answer of 400 or more spends a token, and a
// party with none left gets 429 before its request is looked at.
// Successful trading spends nothing, so a busy buyer is never throttled.
func (s *Server) flagQuota() gin.HandlerFunc {
	if s.flags == nil {
		s.flags = newRateLimiter(flagQuotaPerHour/3600.0, flagQuotaBurst)
	}
	l := s.flags
	return func(c *gin.Context) {
		key := byParty(c)
		if ok, wait := l.peek(key); !ok {
			secs := max(int(math.Ceil(wait.Seconds())), 1)
			c.Header("Retry-After", strconv.Itoa(secs))
			s.fail(c, &httpError{http.StatusTooManyRequests, "rate_limited", fmt.Sprintf(
				"too many refused requests by your party (each may raise a regulator flag): at most %d an hour; retry in %d s", flagQuotaPerHour, secs)})
			return
		}
		c.Next()
		if st := c.Writer.Status(); st >= 400 && st != http.StatusTooManyRequests {
			l.take(key)
		}
	}
}
