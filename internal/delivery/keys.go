package delivery

import (
	"crypto/sha256"
	"sync"

	"github.com/shujiao/shujiao/internal/pgp"
)

// keyCacheSize bounds the parsed buyer keys kept: past it the cache starts
// afresh (a buyer's key is parsed again on its next seal, nothing else).
const keyCacheSize = 4096

// keyCacheMaxArmored is the longest armored key kept parsed: an ordinary
// key is a few KiB; one padded up to the request limit is parsed on every
// seal rather than held (4,096 such keys would hold gigabytes).
const keyCacheMaxArmored = 64 << 10

// keyCache keeps buyers' public keys parsed, by the SHA-256 of their armored text: a
// buyer ordering often had the same key parsed (packets read, the
// self-signatures verified) for every copy sealed to it. The armored text
// is the key: a key that is replaced or re-exported with a new signature
// is another entry, and expiry is checked when a message is encrypted,
// not here. Safe for concurrent use; a parsed *pgp.Key is only read.
type keyCache struct {
	mu   sync.Mutex
	keys map[[sha256.Size]byte]*pgp.Key
}

// parse returns armored parsed, from the cache when it was parsed before;
// the errors are pgp.ParsePublicKey's (a key that fails is not kept).
func (c *keyCache) parse(armored string) (*pgp.Key, error) {
	if len(armored) > keyCacheMaxArmored {
		return pgp.ParsePublicKey(armored)
	}
	sum := sha256.Sum256([]byte(armored))
	c.mu.Lock()
	k, ok := c.keys[sum]
	c.mu.Unlock()
	if ok {
		return k, nil
	}
	k, err := pgp.ParsePublicKey(armored)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.keys == nil || len(c.keys) >= keyCacheSize {
		c.keys = make(map[[sha256.Size]byte]*pgp.Key)
	}
	c.keys[sum] = k
	c.mu.Unlock()
	return k, nil
}
