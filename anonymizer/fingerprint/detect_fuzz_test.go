package fingerprint_test

import (
	"strings"
	"testing"

	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/anonymizer/fingerprint"
)

// FuzzDetect: any table read from any bytes is scored without panic, every
// false-match probability in (0, 1], and nothing is named without marks.
func FuzzDetect(f *testing.F) {
	fx := mustFixture(f, 2000)
	_, copies := mustCopies(f, fx, 3)
	det, err := fingerprint.NewDetector(fx.release, fx.plan, copies)
	if err != nil {
		f.Fatal(err)
	}
	f.Add("收入,手机号\n52300,0123456789abcdef\n")
	f.Add("a\n1\n")
	f.Add("x,y\n-0.5,ffffffffffffffffffff\n12.,*\n")
	f.Fuzz(func(t *testing.T, data string) {
		leak, _, err := anonymizer.ReadTable(strings.NewReader(data), "leak.csv", anonymizer.ReadOptions{})
		if err != nil {
			return
		}
		res, err := det.Detect(leak, fingerprint.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range res.Candidates {
			if c.FalseMatchProbability <= 0 || c.FalseMatchProbability > 1 || (c.Named && res.Marks == 0) {
				t.Fatalf("candidate %+v of a leak with %d marks", c, res.Marks)
			}
		}
	})
}
