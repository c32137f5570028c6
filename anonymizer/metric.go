package anonymizer

import (
	"fmt"
	"math"
)

// Metric is an information-loss measure the search minimizes. Every metric
// is lower-is-better.
type Metric string

// The metrics of --metric.
const (
	// MetricLoss is ARX's "Loss": per quasi-identifier, the mean share of the
	// hierarchy's rows covered by each record's generalized value (a
	// suppressed record counts 1), normalized to 0..1, aggregated over the
	// quasi-identifiers by geometric mean: Π(loss_d + 1)^(1/D) − 1.
	MetricLoss Metric = "loss"
	// MetricPrecision is ARX's Precision: the mean over records and
	// quasi-identifiers of level/height, a suppressed record counting 1.
	MetricPrecision Metric = "precision"
	// MetricDiscernibility is Σ|E|² over released classes plus N per suppressed record.
	MetricDiscernibility Metric = "discernibility"
	// MetricEntropy is the non-uniform entropy (Gionis & Tassa), in bits: per
	// record and quasi-identifier, log2 of (records sharing the generalized
	// value / records sharing the original value); suppression generalizes to "*".
	MetricEntropy Metric = "entropy"
)

// ParseMetric returns the metric named s ("" is loss).
func ParseMetric(s string) (Metric, error) {
	switch Metric(s) {
	case "":
		return MetricLoss, nil
	case MetricLoss, MetricPrecision, MetricDiscernibility, MetricEntropy:
		return Metric(s), nil
	}
	return "", fmt.Errorf("metric %q: want loss, precision, discernibility or entropy", s)
}

// Metrics are the utility measures of a release (all lower-is-better).
type Metrics struct {
	Loss              float64 `json:"loss"`
	Precision         float64 `json:"precision"`
	Discernibility    float64 `json:"discernibility"`
	NonUniformEntropy float64 `json:"non_uniform_entropy"`
}

// scorer evaluates metrics on frequency sets of one encoded table.
type scorer struct {
	e       *encoded
	n       int64
	covered [][]int64   // covered[d][level]: Σ records × hierarchy rows sharing the value
	entropy [][]float64 // entropy[d][level]: Σ records log2(freq generalized / freq original)
}

func newScorer(e *encoded) *scorer {
	s := &scorer{e: e, n: int64(e.rows)}
	for _, d := range e.lt.dims {
		cov := make([]int64, d.height+1)
		ent := make([]float64, d.height+1)
		var base float64
		for _, f := range d.freq[0] {
			base += float64(f) * math.Log2(float64(f))
		}
		for l := range cov {
			for c, f := range d.freq[l] {
				cov[l] += f * d.hcount[l][c]
				if f > 0 {
					ent[l] += float64(f) * math.Log2(float64(f))
				}
			}
			ent[l] -= base
		}
		s.covered = append(s.covered, cov)
		s.entropy = append(s.entropy, ent)
	}
	return s
}

// lossOf aggregates per-dimension covered sums into ARX's Loss.
func (s *scorer) lossOf(cov []int64) float64 {
	if len(cov) == 0 {
		return 0
	}
	n := float64(s.n)
	prod := 1.0
	for i, d := range s.e.lt.dims {
		h := float64(d.hsize)
		var l float64
		if h > 1 && n > 0 {
			l = math.Max(0, (float64(cov[i])-n)/(n*(h-1)))
		}
		prod *= l + 1
	}
	return math.Pow(prod, 1/float64(len(cov))) - 1
}

// lower is a lower bound of metric m at levels that does not look at
// classes: the value with no record suppressed (suppression never lowers a
// metric below it), monotone in the levels.
func (s *scorer) lower(m Metric, levels []int) float64 {
	switch m {
	case MetricLoss:
		cov := make([]int64, len(levels))
		for i, l := range levels {
			cov[i] = s.covered[i][l]
		}
		return s.lossOf(cov)
	case MetricPrecision:
		return s.precision(levels, 0)
	case MetricEntropy:
		var v float64
		for i, l := range levels {
			v += s.entropy[i][l]
		}
		return v
	default: // discernibility: every record is in a class of at least itself
		return float64(s.n)
	}
}

func (s *scorer) precision(levels []int, suppressed int64) float64 {
	dims := s.e.lt.dims
	if len(dims) == 0 || s.n == 0 {
		return 0
	}
	var v float64
	for i, d := range dims {
		var r float64
		if d.height > 0 {
			r = float64(levels[i]) / float64(d.height)
		}
		v += r*float64(s.n-suppressed) + float64(suppressed)
	}
	return v / float64(s.n*int64(len(dims)))
}

// score is metric m of frequency set f with the classes in outliers suppressed.
func (s *scorer) score(m Metric, f *freqSet, outliers []int32, suppressed int64) float64 {
	switch m {
	case MetricLoss:
		cov := make([]int64, len(f.levels))
		for i, l := range f.levels {
			d := s.e.lt.dims[i]
			cov[i] = s.covered[i][l] + suppressed*d.hsize
			for _, c := range outliers {
				cov[i] -= int64(f.counts[c]) * d.hcount[l][s.e.code(f, int(c), i)]
			}
		}
		return s.lossOf(cov)
	case MetricPrecision:
		return s.precision(f.levels, suppressed)
	case MetricEntropy:
		v := s.lower(m, f.levels)
		logN := math.Log2(float64(s.n))
		for i, l := range f.levels {
			d := s.e.lt.dims[i]
			for _, c := range outliers {
				v += float64(f.counts[c]) * (logN - math.Log2(float64(d.freq[l][s.e.code(f, int(c), i)])))
			}
		}
		return v
	default:
		return s.discernibility(f, outliers, suppressed)
	}
}

func (s *scorer) discernibility(f *freqSet, outliers []int32, suppressed int64) float64 {
	var v float64
	for _, c := range f.counts {
		v += float64(c) * float64(c)
	}
	for _, c := range outliers {
		v -= float64(f.counts[c]) * float64(f.counts[c])
	}
	return v + float64(suppressed)*float64(s.n)
}

// classLower is a lower bound for m at every generalization of f's node
// that uses f's classes (Σ|E|² only grows as classes merge).
func (s *scorer) classLower(m Metric, f *freqSet) float64 {
	if m != MetricDiscernibility {
		return s.lower(m, f.levels)
	}
	return s.discernibility(f, nil, 0)
}

// all computes every metric of f with outliers suppressed.
func (s *scorer) all(f *freqSet, outliers []int32, suppressed int64) Metrics {
	return Metrics{
		Loss:              s.score(MetricLoss, f, outliers, suppressed),
		Precision:         s.score(MetricPrecision, f, outliers, suppressed),
		Discernibility:    s.score(MetricDiscernibility, f, outliers, suppressed),
		NonUniformEntropy: s.score(MetricEntropy, f, outliers, suppressed),
	}
}
