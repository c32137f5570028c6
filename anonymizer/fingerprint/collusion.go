package fingerprint

import "slices"

// MethodCollusion names the evidence that a second copy was merged or
// averaged with a named one.
const MethodCollusion = "collusion"

// weakAgreement: a named copy agreeing with fewer of the digit marks than
// this share did not make the leak alone.
const weakAgreement = 0.9

// nameColluders looks, for every named copy that agrees with too few of
// the digit marks to have made the leak alone, for the copy it was merged
// or averaged with. Two copies i and j can make, in a bucket, the digit of
// either (rows merged) or the floor or ceiling of their mean (values
// averaged). For each other copy j, the marks are the buckets whose digit
// i alone did not make; j agrees with one when its digit and i's can make
// it, which an innocent j (a uniform digit, i's fixed) does with the
// probability counted over the ten digits. j is named, with that
// Poisson-binomial tail as its false-match probability, when the tail
// times the number of pairs tried is under threshold. Pseudonyms need no
// such search: merged rows keep each copy's own.
func (d *Detector) nameColluders(t *tally, cands []Candidate, threshold float64) {
	byID := map[string]int{}
	for i, c := range d.copies {
		byID[c.ID] = i
	}
	var weak []int
	for ci, c := range cands {
		if !c.Named {
			continue
		}
		agree, marks := 0, 0
		for _, e := range c.Evidence {
			if e.Method == MethodDigit {
				agree, marks = agree+e.Agree, marks+e.Marks
			}
		}
		if marks > 0 && float64(agree) < weakAgreement*float64(marks) {
			weak = append(weak, ci)
		}
	}
	if len(weak) == 0 {
		return
	}
	pairs := float64(len(weak) * (len(cands) - 1))
	for _, wi := range weak {
		i := byID[cands[wi].ID]
		var p []float64
		var own []int // digit marks i alone does not explain, by index into t.digits
		for m, dm := range t.digits {
			ci := d.keys[i].digitOf(dm.column, dm.bucket)
			if dm.digit == ci {
				continue
			}
			n := 0
			for c := range 10 {
				if slices.Contains(merged(ci, c), dm.digit) {
					n++
				}
			}
			if n == 0 {
				continue
			}
			p = append(p, float64(n)/10)
			own = append(own, m)
		}
		if len(p) == 0 {
			continue
		}
		for cj := range cands {
			if cands[cj].Named || cj == wi {
				continue
			}
			j := byID[cands[cj].ID]
			score := 0
			for _, m := range own {
				dm := t.digits[m]
				if slices.Contains(merged(d.keys[i].digitOf(dm.column, dm.bucket), d.keys[j].digitOf(dm.column, dm.bucket)), dm.digit) {
					score++
				}
			}
			fmp := upperTails(p, []int{score})[0]
			if score == 0 || fmp*pairs >= threshold {
				continue
			}
			var expected float64
			for _, q := range p {
				expected += q
			}
			cands[cj].Named = true
			cands[cj].FalseMatchProbability = min(cands[cj].FalseMatchProbability, fmp)
			cands[cj].Evidence = append(cands[cj].Evidence, Evidence{Method: MethodCollusion, Column: "with " + cands[wi].ID,
				Agree: score, Marks: len(p), Expected: expected})
		}
	}
}

// merged is the digits two copies' digits a and b make in one bucket:
// either one (rows merged), or the floor or ceiling of their mean.
func merged(a, b int) []int {
	return []int{a, b, (a + b) / 2, (a + b + 1) / 2}
}
