package fingerprint

import "math"

// MinProbability is the smallest false-match probability reported: a
// smaller one (they reach 10^-1000 for a long leak) is reported as this.
const MinProbability = 1e-300

// exactTailMarks is the most marks whose tail is computed exactly; beyond
// it the Chernoff bound is used (an upper bound: never an overstatement).
const exactTailMarks = 4000

// upperTails returns, for each score s, P(X >= s) where X is the number of
// the independent marks p[i] an innocent copy agrees with (X is
// Poisson-binomial). Exact for up to exactTailMarks marks; the Chernoff
// bound exp(-μ)·(eμ/s)^s beyond. Results are at least MinProbability.
func upperTails(p []float64, scores []int) []float64 {
	out := make([]float64, len(scores))
	if len(p) <= exactTailMarks {
		dist := make([]float64, len(p)+1) // dist[j] = P(X = j) over the marks so far
		dist[0] = 1
		for i, q := range p {
			for j := i + 1; j >= 1; j-- {
				dist[j] = dist[j]*(1-q) + dist[j-1]*q
			}
			dist[0] *= 1 - q
		}
		tail := make([]float64, len(p)+2)
		for j := len(p); j >= 0; j-- {
			tail[j] = tail[j+1] + dist[j]
		}
		for i, s := range scores {
			switch {
			case s <= 0:
				out[i] = 1
			case s > len(p):
				out[i] = MinProbability
			default:
				out[i] = max(min(tail[s], 1), MinProbability)
			}
		}
		return out
	}
	var mu float64
	for _, q := range p {
		mu += q
	}
	for i, s := range scores {
		fs := float64(s)
		switch {
		case fs <= mu:
			out[i] = 1
		case mu == 0:
			out[i] = MinProbability
		default:
			out[i] = max(math.Exp(-mu+fs*(1+math.Log(mu)-math.Log(fs))), MinProbability)
		}
	}
	return out
}
