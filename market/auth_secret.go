package market

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// Prefixes of credential secrets: they make a leaked secret recognizable
// (secret scanners, logs) and tell a token from a session cookie.
const (
	tokenPrefix   = "sjt_"
	sessionPrefix = "sjs_"
)

// newSecret returns prefix followed by 32 random bytes in unpadded
// base64url, and the SHA-256 of the whole secret, which is what is stored.
func newSecret(prefix string) (secret string, hash []byte) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("crypto/rand: " + err.Error()) // never fails on supported platforms
	}
	secret = prefix + base64.RawURLEncoding.EncodeToString(b[:])
	return secret, hashSecret(secret)
}

// hashSecret returns the SHA-256 of a secret.
func hashSecret(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}

// wellFormedSecret reports whether s looks like a secret with prefix: the
// prefix then 43 base64url characters. Malformed secrets are refused without
// a database lookup.
func wellFormedSecret(prefix, s string) bool {
	rest, ok := strings.CutPrefix(s, prefix)
	if !ok || len(rest) != 43 {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(rest)
	return err == nil
}

// csrfToken derives a session's anti-forgery token from its secret, so that
// nothing more is stored: only a holder of the session secret can compute it,
// and a page of another origin can read neither.
func csrfToken(sessionSecret string) string {
	h := sha256.Sum256([]byte("shujiao csrf v1\x00" + sessionSecret))
	return base64.RawURLEncoding.EncodeToString(h[:])
}
