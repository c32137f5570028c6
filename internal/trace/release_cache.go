package trace

import (
	"errors"
	"io"
	"sync"

	"github.com/shujiao/shujiao/anonymizer"
)

// Releases a Service keeps parsed: every copy of a release is marked from
// the same table (fingerprint.Embed only reads it), so that the release
// is read and parsed once for its buyers, not once per copy.
const (
	// cachedReleases is how many releases are kept, the most recently
	// used first.
	cachedReleases = 2
	// cacheMaxCells bounds the size of a release kept (rows × columns):
	// a larger one is read again for each copy.
	cacheMaxCells = 20_000_000
)

// releaseCache holds the parsed certified releases last marked, by their
// SHA-256 and name (content-addressed: a cached table never goes stale). A release
// being read is waited for by the other copies that need it. The zero
// value is ready; it is safe for concurrent use.
type releaseCache struct {
	mu      sync.Mutex
	entries []*cachedRelease // most recently used first
}

type cachedRelease struct {
	sum   string
	ready chan struct{} // closed once release and err are set
	release
	err error
}

// release is a certified release read as a table, in its format, and the
// number of bytes it was read from.
type release struct {
	table  *anonymizer.Table
	format anonymizer.Format
	size   int64
}

// get returns release sum's table, reading it with read on a miss (once,
// however many callers ask meanwhile). A read that fails is not kept.
func (c *releaseCache) get(sum string, read func() (release, error)) (release, error) {
	c.mu.Lock()
	for i, e := range c.entries {
		if e.sum == sum {
			copy(c.entries[1:i+1], c.entries[:i])
			c.entries[0] = e
			c.mu.Unlock()
			<-e.ready
			return e.release, e.err
		}
	}
	e := &cachedRelease{sum: sum, ready: make(chan struct{})}
	c.entries = append([]*cachedRelease{e}, c.entries...)
	if len(c.entries) > cachedReleases {
		c.entries = c.entries[:cachedReleases]
	}
	c.mu.Unlock()
	read1 := false
	defer func() {
		if !read1 { // read panicked: the callers waiting are told, nothing is kept
			e.err = errReleasePanicked
			c.drop(e) // before the waiters wake: a caller after them reads again
			close(e.ready)
		}
	}()
	e.release, e.err = read()
	read1 = true
	if e.err != nil || e.table.Rows()*len(e.table.Columns) > cacheMaxCells {
		// dropped before the waiters wake, so that no caller arriving after
		// them is handed a failed read instead of trying again
		c.drop(e)
	}
	close(e.ready)
	return e.release, e.err
}

// errReleasePanicked is what callers waiting for a read that panicked get.
var errReleasePanicked = errors.New("trace: reading the release panicked")

// drop forgets e.
func (c *releaseCache) drop(e *cachedRelease) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, x := range c.entries {
		if x == e {
			c.entries = append(c.entries[:i], c.entries[i+1:]...)
			return
		}
	}
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
