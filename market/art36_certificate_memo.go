package market

import (
	"crypto/sha256"
	"sync"
	"time"
)

// maxRememberedSignatures bounds a VerifiedMemo: past it, it forgets all it
// remembered and starts again.
const maxRememberedSignatures = 4096

// VerifiedMemo is a SignatureVerifier that remembers, for a short time, the
// signatures another verifier accepted: the same signature over the same
// bytes is then accepted again without the OpenPGP work. The order path
// re-checks the listing's certificate at every order (Tianjin Art. 29),
// the same certificate thousands of times, and verifying its armored
// signature was the largest piece of Go work of that re-check
// (bench/RESULTS.md, t18b).
//
// An entry is the SHA-256 of the data and of the signature, so only the
// very bytes that verified are accepted; refusals are never remembered, and
// an entry is forgotten after its time to live (a minute in serve) so that
// a key that expires stops verifying within it. Build it with
// RememberVerified; it is safe for concurrent use.
type VerifiedMemo struct {
	v   SignatureVerifier
	ttl time.Duration
	now func() time.Time

	mu sync.Mutex
	ok map[[2 * sha256.Size]byte]time.Time // data and signature digests → when verified
}

// RememberVerified returns a VerifiedMemo over v whose entries live for
// ttl; now is the clock (nil: time.Now).
func RememberVerified(v SignatureVerifier, ttl time.Duration, now func() time.Time) *VerifiedMemo {
	if now == nil {
		now = time.Now
	}
	return &VerifiedMemo{v: v, ttl: ttl, now: now, ok: map[[2 * sha256.Size]byte]time.Time{}}
}

// VerifyBytes returns nil when signature verified over data less than the
// time to live ago, else what the verifier says, remembering a success.
func (m *VerifiedMemo) VerifyBytes(data, signature []byte) error {
	var k [2 * sha256.Size]byte
	d, s := sha256.Sum256(data), sha256.Sum256(signature)
	copy(k[:sha256.Size], d[:])
	copy(k[sha256.Size:], s[:])
	now := m.now()
	m.mu.Lock()
	at, ok := m.ok[k]
	m.mu.Unlock()
	if ok && now.Sub(at) < m.ttl && !now.Before(at) {
		return nil
	}
	if err := m.v.VerifyBytes(data, signature); err != nil {
		return err
	}
	m.mu.Lock()
	if len(m.ok) >= maxRememberedSignatures {
		clear(m.ok)
	}
	m.ok[k] = now
	m.mu.Unlock()
	return nil
}
