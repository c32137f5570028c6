package trace

import (
	"crypto/sha256"
	"encoding/json"
	"sync"

	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/anonymizer/fingerprint"
)

// cachedPlans is how many marking plans a Service keeps: the plan of a
// whole release depends only on its certificate and the release (not on
// the order), so its copies share one.
const cachedPlans = 8

// markPlan is what every copy of a release under one certificate is
// marked with: the plan (fingerprint.NewPlan) and its JSON, as recorded
// with each copy.
type markPlan struct {
	plan fingerprint.Plan
	json []byte
}

// planCache keeps the marking plans of the whole releases last marked, by
// the certificate's SHA-256 and the release's key (content-addressed:
// never stale). A plan is only read once made. Safe for concurrent use;
// the zero value is ready.
type planCache struct {
	mu      sync.Mutex
	entries map[string]markPlan
}

// newMarkPlan parses certificate and makes the plan of release under it.
func newMarkPlan(certificate []byte, release *anonymizer.Table) (markPlan, error) {
	cert, err := anonymizer.ParseCertificate(certificate)
	if err != nil {
		return markPlan{}, err
	}
	plan, err := fingerprint.NewPlan(release, cert.Policy, cert.Gate.Pseudonyms)
	if err != nil {
		return markPlan{}, err
	}
	b, err := json.Marshal(plan)
	if err != nil {
		return markPlan{}, err
	}
	return markPlan{plan: plan, json: b}, nil
}

// get returns the plan of release (kept under releaseKey) under
// certificate, made with newMarkPlan on a miss; a plan that fails is not
// kept.
func (c *planCache) get(certificate []byte, releaseKey string, release *anonymizer.Table) (markPlan, error) {
	sum := sha256.Sum256(certificate)
	key := string(sum[:]) + releaseKey
	c.mu.Lock()
	p, ok := c.entries[key]
	c.mu.Unlock()
	if ok {
		return p, nil
	}
	p, err := newMarkPlan(certificate, release)
	if err != nil {
		return markPlan{}, err
	}
	c.mu.Lock()
	if c.entries == nil || len(c.entries) >= cachedPlans {
		c.entries = make(map[string]markPlan, cachedPlans)
	}
	c.entries[key] = p
	c.mu.Unlock()
	return p, nil
}
