package fingerprint

import (
	"cmp"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strconv"
	"strings"

	"github.com/shujiao/shujiao/anonymizer"
)

// Copy is one delivered copy a leak may come from.
type Copy struct {
	// ID names the copy (the order id).
	ID string
	// Key is the copy's OrderKey.
	Key []byte
	// SHA256 is the hex digest of the copy's file as delivered ("" unknown).
	SHA256 string
}

// Options tune Detect. The zero value names a copy at a family-wise
// false-match probability under 10^-6.
type Options struct {
	// Threshold bounds the chance that any innocent copy is named: a copy
	// is named when its false-match probability times the number of copies
	// is under it. 0 means 1e-6.
	Threshold float64
	// LeakSHA256 is the hex digest of the leaked file: a copy whose own
	// digest equals it leaked verbatim.
	LeakSHA256 string
}

// Verdict is the outcome of a trace.
type Verdict string

// Verdicts.
const (
	// Traced: at least one copy is named.
	Traced Verdict = "traced"
	// Inconclusive: no copy scores high enough to be named.
	Inconclusive Verdict = "inconclusive"
)

// Result is the outcome of Detect, with its evidence.
type Result struct {
	Verdict   Verdict `json:"verdict"`
	Threshold float64 `json:"threshold"`
	// Rows and Columns of the leak.
	Rows int `json:"rows"`
	// Marks is the number of independent marks the leak shows; an innocent
	// copy agrees with Expected of them on average.
	Marks    int     `json:"marks"`
	Expected float64 `json:"expected_innocent_score"`
	// Columns says which leaked column was read as which release column.
	Columns    []ColumnMatch `json:"columns"`
	Candidates []Candidate   `json:"candidates"`
}

// ColumnMatch is one leaked column recognised as a marked release column
// (or, with a Note, a release column that could not be read).
type ColumnMatch struct {
	Release string `json:"release_column"`
	Leak    string `json:"leak_column"`
	Method  string `json:"method"`
	Marks   int    `json:"marks"`
	Note    string `json:"note,omitempty"`
}

// Candidate is one copy's score against the leak.
type Candidate struct {
	ID string `json:"id"`
	// Score is the number of the leak's marks the copy agrees with.
	Score int `json:"score"`
	Marks int `json:"marks"`
	// FalseMatchProbability is the chance that an innocent copy agrees with
	// Score or more of the marks (computed from the leak alone).
	FalseMatchProbability float64 `json:"false_match_probability"`
	// Named: FalseMatchProbability × number of copies < Threshold.
	Named    bool       `json:"named"`
	Evidence []Evidence `json:"evidence"`
}

// Evidence is a candidate's agreement with one method's marks in one column.
type Evidence struct {
	Method string `json:"method"`
	Column string `json:"column"`
	Agree  int    `json:"agree"`
	Marks  int    `json:"marks"`
	// Expected is the innocent copy's mean agreement with these marks.
	Expected float64 `json:"expected"`
}

// Methods, as named in evidence.
const (
	MethodPseudonym = "pseudonym"
	MethodDigit     = "digit"
	MethodVerbatim  = "verbatim"
)

// tally gathers marks: their innocent probabilities, and per copy the
// marks it agrees with, per evidence group.
type tally struct {
	p      []float64
	pg     []int      // the group of each mark
	groups []Evidence // template per group: method, column, marks, expected
	agree  [][]int    // [copy][group]
	// digits are the digit marks the leak shows (one digit in a bucket),
	// kept for the search for a colluder.
	digits []digitMark
}

// falseMatch is, per copy, the chance that an innocent copy agrees with
// as many marks: each group's marks share one method and one probability,
// so the count in a group is the best statistic for it (a rare pseudonym
// match must not weigh as a common digit match); the groups are combined
// by the union bound, G × the smallest group tail.
func (t *tally) falseMatch(copies int) []float64 {
	byGroup := make([][]float64, len(t.groups))
	for m, g := range t.pg {
		byGroup[g] = append(byGroup[g], t.p[m])
	}
	groups := 0
	for _, ps := range byGroup {
		if len(ps) > 0 {
			groups++
		}
	}
	out := make([]float64, copies)
	for i := range out {
		out[i] = 1
	}
	for g, ps := range byGroup {
		if len(ps) == 0 {
			continue
		}
		scores := make([]int, copies)
		for i := range copies {
			scores[i] = t.agree[i][g]
		}
		for i, tail := range upperTails(ps, scores) {
			out[i] = min(out[i], tail*float64(groups))
		}
	}
	for i := range out {
		out[i] = max(min(out[i], 1), MinProbability)
	}
	return out
}

// digitMark is one bucket of a marked column showing one digit.
type digitMark struct {
	column, bucket string
	digit          int
}

func (t *tally) group(method, column string, copies int) int {
	t.groups = append(t.groups, Evidence{Method: method, Column: column})
	for i := range copies {
		t.agree[i] = append(t.agree[i], 0)
	}
	return len(t.groups) - 1
}

func (t *tally) mark(g int, p float64) {
	t.p = append(t.p, p)
	t.pg = append(t.pg, g)
	t.groups[g].Marks++
	t.groups[g].Expected += p
}

// Detect scores every copy against leak, a table read from a leaked file,
// given the release the copies were made from and its plan. Leaked columns
// are recognised by their values, not their names; rows may be any subset
// in any order. It returns the candidates best first (all copies), each
// with its false-match probability, and the verdict. It does not modify
// its arguments. To trace many leaks against one release, build a
// Detector once.
func Detect(leak, release *anonymizer.Table, plan Plan, copies []Copy, opt Options) (*Result, error) {
	d, err := NewDetector(release, plan, copies)
	if err != nil {
		return nil, err
	}
	return d.Detect(leak, opt)
}

// Detector holds what scoring leaks against one release's copies needs:
// the release's digit sets per bucket and every copy's pseudonyms. It is
// safe for concurrent use.
type Detector struct {
	plan   Plan
	copies []Copy
	keys   []*keyed
	// rel[d] is the release's digit set per bucket of plan.Digits[d] (nil
	// when the release lacks the column); masked[d] its values with the
	// marked digit hidden, by which leaked columns are recognised.
	rel    []map[string]uint16
	masked []map[string]bool
	// owners maps the first 64 bits of every copy's pseudonyms to it.
	owners   map[uint64]owner
	distinct float64
}

// owner is the copy and pseudonym column a pseudonym belongs to.
type owner struct {
	copy int32
	col  int32 // index in plan.Pseudonyms; -1 for a collision
}

// NewDetector prepares the scoring of leaks against copies of release.
// It returns ErrShortKey (wrapped) for a copy with a short key, and an
// error naming a plan pseudonym column the release lacks.
func NewDetector(release *anonymizer.Table, plan Plan, copies []Copy) (*Detector, error) {
	d := &Detector{plan: plan, copies: copies, keys: make([]*keyed, len(copies)), rel: make([]map[string]uint16, len(plan.Digits)), owners: map[uint64]owner{}}
	for i, c := range copies {
		if len(c.Key) < KeySize {
			return nil, fmt.Errorf("fingerprint: copy %s: %w", c.ID, ErrShortKey)
		}
		d.keys[i] = newKeyed(c.Key)
	}
	d.masked = make([]map[string]bool, len(plan.Digits))
	for i, dc := range plan.Digits {
		if rc := release.Column(dc.Column); rc != nil {
			d.rel[i] = digitSets(rc, dc.Exp, nil)
			d.masked[i] = maskedValues(rc, dc.Exp)
		}
	}
	for pi, name := range plan.Pseudonyms {
		rc := release.Column(name)
		if rc == nil {
			return nil, fmt.Errorf("fingerprint: pseudonym column %q: not in the release", name)
		}
		for _, v := range rc.Dict {
			if missing(v) {
				continue
			}
			d.distinct++
			for i, k := range d.keys {
				h := k.pseudonymPrefix(name, v)
				if o, dup := d.owners[h]; dup && int(o.copy) != i {
					d.owners[h] = owner{copy: -1, col: -1}
					continue
				}
				d.owners[h] = owner{copy: int32(i), col: int32(pi)}
			}
		}
	}
	return d, nil
}

// Detect scores every copy against leak (see the function Detect).
func (d *Detector) Detect(leak *anonymizer.Table, opt Options) (*Result, error) {
	if opt.Threshold <= 0 {
		opt.Threshold = 1e-6
	}
	copies := d.copies
	res := &Result{Threshold: opt.Threshold, Rows: leak.Rows(), Columns: []ColumnMatch{}, Candidates: []Candidate{}}
	t := &tally{agree: make([][]int, len(copies))}
	used := make([]bool, len(leak.Columns))

	if opt.LeakSHA256 != "" {
		g := t.group(MethodVerbatim, "", len(copies))
		t.mark(g, math.Pow(2, -256))
		for i, c := range copies {
			if c.SHA256 != "" && strings.EqualFold(c.SHA256, opt.LeakSHA256) {
				t.agree[i][g]++
			}
		}
	}
	d.detectDigits(t, res, leak, used)
	d.detectPseudonyms(t, res, leak, used)

	res.Marks = len(t.p)
	for _, q := range t.p {
		res.Expected += q
	}
	scores := make([]int, len(copies))
	for i := range copies {
		for _, a := range t.agree[i] {
			scores[i] += a
		}
	}
	fmp := t.falseMatch(len(copies))
	res.Verdict = Inconclusive
	for i, c := range copies {
		cand := Candidate{ID: c.ID, Score: scores[i], Marks: res.Marks, FalseMatchProbability: fmp[i], Evidence: []Evidence{}}
		cand.Named = scores[i] > 0 && fmp[i]*float64(len(copies)) < opt.Threshold
		for g, e := range t.groups {
			if e.Marks == 0 {
				continue
			}
			e.Agree = t.agree[i][g]
			cand.Evidence = append(cand.Evidence, e)
		}
		res.Candidates = append(res.Candidates, cand)
	}
	d.nameColluders(t, res.Candidates, opt.Threshold)
	for _, c := range res.Candidates {
		if c.Named {
			res.Verdict = Traced
		}
	}
	slices.SortStableFunc(res.Candidates, func(a, b Candidate) int {
		return cmp.Or(cmp.Compare(a.FalseMatchProbability, b.FalseMatchProbability), cmp.Compare(b.Score, a.Score), cmp.Compare(a.ID, b.ID))
	})
	return res, nil
}

// detectDigits recognises each marked numeric column among the leak's
// columns (the one whose values, marked digit hidden, are most often the
// release column's; the same name breaks a tie) and
// counts, per bucket the leak shows, which copies set the digit it shows.
func (d *Detector) detectDigits(t *tally, res *Result, leak *anonymizer.Table, used []bool) {
	plan, keys, rel, masked := d.plan, d.keys, d.rel, d.masked
	type pair struct {
		d, l int
		frac float64
		same bool // the leaked column has the release column's name
	}
	var pairs []pair
	for di, dc := range plan.Digits {
		if rel[di] == nil {
			continue
		}
		for l, lc := range leak.Columns {
			if lc.Skipped() {
				continue
			}
			if f := maskedOverlap(lc, dc.Exp, masked[di]); f >= 0.5 {
				pairs = append(pairs, pair{di, l, f, lc.Name == dc.Column})
			}
		}
	}
	slices.SortStableFunc(pairs, func(a, b pair) int {
		return cmp.Or(cmp.Compare(b.frac, a.frac), cmp.Compare(b2i(b.same), b2i(a.same)))
	})
	done := make([]bool, len(plan.Digits))
	for _, pr := range pairs {
		if done[pr.d] || used[pr.l] {
			continue
		}
		done[pr.d], used[pr.l] = true, true
		dc, lc := plan.Digits[pr.d], leak.Columns[pr.l]
		m := ColumnMatch{Release: dc.Column, Leak: lc.Name, Method: MethodDigit}
		var zero, all int
		lsets := digitSets(lc, dc.Exp, func(n number) {
			all++
			if n.digit(dc.Exp) == 0 {
				zero++
			}
		})
		if all > 0 && zero*10 >= all*9 {
			m.Note = fmt.Sprintf("the digit at 10^%d is 0 in %d of %d leaked values: the column was rounded, its marks are gone", dc.Exp, zero, all)
			res.Columns = append(res.Columns, m)
			continue
		}
		g := t.group(MethodDigit, dc.Column, len(keys))
		buckets := make([]string, 0, len(lsets))
		for b := range lsets {
			buckets = append(buckets, b)
		}
		slices.Sort(buckets)
		for _, b := range buckets {
			if _, ok := rel[pr.d][b]; !ok {
				continue
			}
			// A copy sets one digit per bucket: the leak's bucket agrees with
			// a copy only when it shows that one digit, which an innocent
			// copy's (uniform) digit is with probability 1/10.
			ld := lsets[b]
			if popcount10(ld) != 1 {
				continue // rows of two copies in one bucket: no copy's alone
			}
			t.mark(g, 0.1)
			t.digits = append(t.digits, digitMark{column: dc.Column, bucket: b, digit: bits.TrailingZeros16(ld)})
			m.Marks++
			for i, k := range keys {
				if ld == 1<<k.digitOf(dc.Column, b) {
					t.agree[i][g]++
				}
			}
		}
		res.Columns = append(res.Columns, m)
	}
	for d, dc := range plan.Digits {
		if !done[d] {
			res.Columns = append(res.Columns, ColumnMatch{Release: dc.Column, Method: MethodDigit, Note: "no leaked column matches its values (dropped or transformed)"})
		}
	}
}

// digitSets returns, per bucket at 10^e of col's markable values, the set
// of digits written at 10^e (bit d); each markable value is passed to seen.
func digitSets(col *anonymizer.Column, e int, seen func(number)) map[string]uint16 {
	out := map[string]uint16{}
	counts := make([]int, len(col.Dict))
	for _, c := range col.Codes {
		counts[c]++
	}
	for j, v := range col.Dict {
		if counts[j] == 0 {
			continue
		}
		n, ok := parseNumber(v) // a digit not written (12.5 at 10^-2) is 0
		if !ok {
			continue
		}
		b := n.bucket(e)
		if b == "" {
			continue
		}
		out[b] |= 1 << n.digit(e)
		if seen != nil {
			for range counts[j] {
				seen(n)
			}
		}
	}
	return out
}

// maskedValues is the set of col's markable values with the digit at
// 10^e hidden (number.masked).
func maskedValues(col *anonymizer.Column, e int) map[string]bool {
	out := map[string]bool{}
	for _, v := range col.Dict {
		if n, ok := parseNumber(v); ok && n.bucket(e) != "" {
			out[n.masked(e)] = true
		}
	}
	return out
}

// maskedOverlap is the share of col's non-missing cells that are numbers
// which, their digit at 10^e hidden, are values of the release column: a
// copy's column shows only such values, another column rarely does.
func maskedOverlap(col *anonymizer.Column, e int, rel map[string]bool) float64 {
	counts := make([]int, len(col.Dict))
	for _, c := range col.Codes {
		counts[c]++
	}
	var in, all int
	for j, v := range col.Dict {
		if counts[j] == 0 || missing(v) {
			continue
		}
		all += counts[j]
		if n, ok := parseNumber(v); ok && rel[n.masked(e)] {
			in += counts[j]
		}
	}
	if all == 0 {
		return 0
	}
	return float64(in) / float64(all)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func popcount10(x uint16) int {
	n := 0
	for d := range 10 {
		if x&(1<<d) != 0 {
			n++
		}
	}
	return n
}

// detectPseudonyms looks for every copy's pseudonyms among the leak's
// hex values: each distinct leaked hex value of 16 digits or more is a
// mark, which an innocent copy agrees with only if one of its own
// pseudonyms begins with the same 64 bits (probability: the number of
// release pseudonyms / 2^64).
func (d *Detector) detectPseudonyms(t *tally, res *Result, leak *anonymizer.Table, used []bool) {
	plan, keys, owners := d.plan, d.keys, d.owners
	if len(plan.Pseudonyms) == 0 {
		return
	}
	p := min(d.distinct/math.Pow(2, 64), 1)
	groups := make([]int, len(plan.Pseudonyms))
	for i := range groups {
		groups[i] = -1
	}
	for l, lc := range leak.Columns {
		if used[l] || lc.Skipped() {
			continue
		}
		counts := make([]int, len(lc.Dict))
		for _, c := range lc.Codes {
			counts[c]++
		}
		hits := make([]int, len(plan.Pseudonyms))
		marks := 0
		var found []owner
		for j, v := range lc.Dict {
			v = strings.TrimSpace(v)
			if counts[j] == 0 || len(v) < 16 || !isHex(v) {
				continue
			}
			marks++
			o, ok := owners[prefix64(v)]
			if !ok || o.col < 0 {
				found = append(found, owner{copy: -1, col: -1})
				continue
			}
			hits[o.col]++
			found = append(found, o)
		}
		if marks == 0 {
			continue
		}
		best := 0
		for i := range hits {
			if hits[i] > hits[best] {
				best = i
			}
		}
		if groups[best] < 0 {
			groups[best] = t.group(MethodPseudonym, plan.Pseudonyms[best], len(keys))
		}
		g := groups[best]
		used[l] = true
		res.Columns = append(res.Columns, ColumnMatch{Release: plan.Pseudonyms[best], Leak: lc.Name, Method: MethodPseudonym, Marks: marks})
		for _, o := range found {
			t.mark(g, p)
			if o.copy >= 0 {
				t.agree[o.copy][g]++
			}
		}
	}
	for i, name := range plan.Pseudonyms {
		if groups[i] < 0 {
			res.Columns = append(res.Columns, ColumnMatch{Release: name, Method: MethodPseudonym, Note: "no leaked column holds pseudonyms (dropped or replaced)"})
		}
	}
}

// prefix64 is the first 64 bits of a hex pseudonym (case ignored).
func prefix64(h string) uint64 {
	x, _ := strconv.ParseUint(h[:16], 16, 64) // callers pass hex only
	return x
}
