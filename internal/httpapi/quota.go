package httpapi

import "github.com/gin-gonic/gin"

// Per-party quotas on requests that make the platform do lasting work on a
// party's behalf: signing a tree head (each head is stored, witnessed and
// signed with the platform key for good) and raising regulator flags (a
// quote or an order may raise one, under Shaanxi Art. 37 or 72, and each
// lands in the regulator's queue). A party past its quota gets 429
// rate_limited with Retry-After; other parties are not affected.
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

// flagQuota limits the requests that may raise a regulator flag, per party.
func (s *Server) flagQuota() gin.HandlerFunc {
	if s.flags == nil {
		s.flags = newRateLimiter(flagQuotaPerHour/3600.0, flagQuotaBurst)
	}
	return s.limit(s.flags, "requests that may raise regulator flags by your party", byParty)
}
