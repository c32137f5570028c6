package blob

import (
	"crypto/hmac"
	"crypto/sha256"
)

// DeriveKey returns a 32-byte key for another purpose of the platform,
// derived from the store key: HMAC-SHA256(store key, "shujiao/derive/" +
// label). It lives and dies with the data directory's key and is never
// stored; distinct labels give independent keys (the fingerprint of
// delivered copies uses "fingerprint/v1"). Safe for concurrent use.
func (s *Store) DeriveKey(label string) []byte {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte("shujiao/derive/" + label))
	return m.Sum(nil)
}
