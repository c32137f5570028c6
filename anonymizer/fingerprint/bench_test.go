package fingerprint_test

import (
	"testing"

	"github.com/shujiao/shujiao/anonymizer/fingerprint"
)

// BenchmarkEmbed marks one copy of a 10,000-row release.
func BenchmarkEmbed(b *testing.B) {
	f := mustFixture(b, 10000)
	key, _ := fingerprint.OrderKey(make([]byte, 32), "o")
	for b.Loop() {
		if _, _, err := fingerprint.Embed(f.release, f.plan, key); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDetect traces a 10 % sample of a 10,000-row release's copy
// against 20 copies, the Detector built each time (as a trace does).
func BenchmarkDetect(b *testing.B) {
	f := mustFixture(b, 10000)
	tables, copies := mustCopies(b, f, 20)
	leak := sample(b, tables[4], 0.1, 1)
	for b.Loop() {
		if _, err := fingerprint.Detect(leak, f.release, f.plan, copies, fingerprint.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
