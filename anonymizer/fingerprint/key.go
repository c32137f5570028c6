package fingerprint

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"hash"
	"sync"

	"github.com/shujiao/shujiao/anonymizer"
)

// KeySize is the size of a platform fingerprint key and of an order key.
const KeySize = 32

// ErrShortKey is returned for a key shorter than KeySize.
var ErrShortKey = errors.New("fingerprint: key shorter than 32 bytes")

// OrderKey derives an order's fingerprint secret from the platform's
// fingerprint key: HMAC-SHA256(platformKey, "shujiao/fingerprint/v1/order/" +
// orderID). The platform keeps platformKey; the buyer never receives
// either. It returns ErrShortKey for a platform key under KeySize bytes.
func OrderKey(platformKey []byte, orderID string) ([]byte, error) {
	if len(platformKey) < KeySize {
		return nil, ErrShortKey
	}
	m := hmac.New(sha256.New, platformKey)
	m.Write([]byte("shujiao/fingerprint/v1/order/"))
	m.Write([]byte(orderID))
	return m.Sum(nil), nil
}

// keyed computes keyed digests of labelled inputs under one order key.
// Inputs are domain-separated: method, column and value, each ended by 0.
type keyed struct {
	m   hash.Hash
	sum [sha256.Size]byte
}

func newKeyed(key []byte) *keyed { return &keyed{m: hmac.New(sha256.New, key)} }

// digest returns HMAC(key, part0 0 part1 0 …).
func (k *keyed) digest(parts ...string) []byte {
	k.m.Reset()
	for _, p := range parts {
		k.m.Write([]byte(p))
		k.m.Write([]byte{0})
	}
	return k.m.Sum(k.sum[:0])
}

// uint64 returns the first 8 bytes of digest(parts...) as an integer.
func (k *keyed) uint64(parts ...string) uint64 {
	return binary.BigEndian.Uint64(k.digest(parts...))
}

// Domain labels of the keyed choices.
const (
	labelPseudonym = "pseudonym"
	labelDigit     = "digit"
	labelRow       = "row"
)

// GateKey returns the copy key with which the release gate recognises the
// pseudonyms of the copy made under key (an OrderKey) as platform-made:
// the gate recomputes the platform pseudonym from the raw identifier and
// applies this copy's keyed pseudonym to it (Tianjin Art. 29). id names the
// copy (its order) in the gate's report. It returns ErrShortKey for a
// short key.
func GateKey(id string, key []byte) (anonymizer.CopyKey, error) {
	if len(key) < KeySize {
		return anonymizer.CopyKey{}, ErrShortKey
	}
	key = append([]byte(nil), key...)
	pool := sync.Pool{New: func() any { return newKeyed(key) }}
	return anonymizer.CopyKey{ID: id, Pseudonym: func(column, p string) string {
		k := pool.Get().(*keyed)
		defer pool.Put(k)
		return k.pseudonym(column, p)
	}}, nil
}
