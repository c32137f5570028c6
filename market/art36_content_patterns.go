package market

import (
	"regexp"
	"sync"
	"sync/atomic"
)

// maxCachedPatterns bounds the compiled value patterns kept for the life of
// the process. The patterns come from rule sets, which operators write and
// which change a few times a year: a few dozen in practice.
const maxCachedPatterns = 1024

// patternCache holds the compiled value patterns of content signatures
// (Shaanxi Art. 36(3)), by their text. The gate once ran them at every order (the
// Art. 36 re-check) and compiling the shipped rule set's patterns each time
// was a sixteenth of the objects an order allocated (bench/RESULTS.md,
// t18b). A *regexp.Regexp is safe for concurrent use.
var patternCache struct {
	m sync.Map // string → *regexp.Regexp
	n atomic.Int64
}

// compilePattern returns the compiled pattern, from the cache when it was
// compiled before; a pattern that does not compile returns its error and is
// not kept. Past maxCachedPatterns, new patterns are compiled and not kept.
// Safe for concurrent use.
func compilePattern(expr string) (*regexp.Regexp, error) {
	if re, ok := patternCache.m.Load(expr); ok {
		return re.(*regexp.Regexp), nil
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil, err
	}
	if patternCache.n.Load() < maxCachedPatterns {
		if _, loaded := patternCache.m.LoadOrStore(expr, re); !loaded {
			patternCache.n.Add(1)
		}
	}
	return re, nil
}
