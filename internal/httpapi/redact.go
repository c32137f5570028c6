package httpapi

import (
	"strings"

	"github.com/gin-gonic/gin"
)

// secretParams are the route parameters that carry a secret (a download
// token is a bearer credential in the URL): the access log never shows them.
var secretParams = map[string]bool{"token": true}

// secretPrefixes start our secrets: download tokens, API tokens, sessions.
var secretPrefixes = []string{"sjd_", "sjt_", "sjs_"}

// redacted stands in the log for a secret.
const redacted = "[redacted]"

// redactedPath returns the request's path for the access log, with every
// secret route parameter replaced by [redacted]; an unmatched path that
// holds a segment shaped like one of our secrets (download token sjd_…,
// API token sjt_…, session sjs_…) is redacted too.
func redactedPath(c *gin.Context) string {
	path := c.Request.URL.Path
	for _, p := range c.Params {
		if secretParams[p.Key] && p.Value != "" {
			path = strings.ReplaceAll(path, p.Value, redacted)
		}
	}
	parts := strings.Split(path, "/")
	for i, part := range parts {
		for _, prefix := range secretPrefixes {
			if strings.HasPrefix(part, prefix) {
				parts[i] = redacted
			}
		}
	}
	return strings.Join(parts, "/")
}
