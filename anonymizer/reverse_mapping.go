package anonymizer

import (
	"fmt"
	"strings"
)

// pairSample is how many aligned rows a transform is identified on (half
// of them held out for learned mappings).
const pairSample = 512

// RowExample is one aligned row shown as evidence: the raw value (masked
// when it is a direct identifier) and the value the release holds.
type RowExample struct {
	// Row is the 1-based data row of both tables.
	Row     int    `json:"row"`
	Raw     string `json:"raw"`
	Release string `json:"release"`
}

// checkDependent is the dependency half of check b (Tianjin Art. 29): a
// release column that is a deterministic, (almost) one-to-one function of a
// raw identifying column over the aligned rows restores it, whatever its
// values look like, unless platform pseudonymization made it (those
// columns never get here). It names the transform when a known one
// reproduces the column, with two example rows; learned mappings are judged
// on rows they were not learned from. It reports whether the column failed.
func checkDependent(res *GateResult, raw *Table, col *Column, targets []restoreTarget, salts []string, budget int) bool {
	// Identifiers unique per row are all functions of one another: measure
	// each, and name the one a known transform explains, else the first.
	var (
		best  *restoreTarget
		bestD Dependency
		bestE explanation
		found bool
	)
	for i := range targets {
		tg := &targets[i]
		if tg.col.Name == col.Name && identicalShare(tg.col, col) >= 0.99 {
			return false // the identifier itself: check a reports it
		}
		d := dependency(tg.col.Name, tg.col.Codes, len(tg.col.Dict), col)
		if !d.Dependent() {
			continue
		}
		if best == nil {
			best, bestD = tg, d
		}
		pairs, others := samplePairs(raw, tg.col, col)
		if e, ok := explainPairs(pairs, others, salts); ok {
			best, bestD, bestE, found = tg, d, e, true
			break
		}
	}
	if best == nil {
		return false
	}
	reportDependent(res, col, best, bestD, bestE, found, budget)
	return true
}

// reportDependent records a column that depends on raw column tg, with the
// transform e when found.
func reportDependent(res *GateResult, col *Column, tg *restoreTarget, d Dependency, e explanation, found bool, budget int) {
	r := Restoration{Column: col.Name, RawColumn: tg.col.Name, Method: "one-to-one mapping",
		Restored: d.Restorable, Distinct: d.DistinctRelease, Dependency: &d}
	how := "no known transform reproduces it: whoever made it holds the mapping (a lookup table or a key the platform does not hold)"
	if found {
		r.Method = e.method
		r.Checked, r.Reproduced, r.Learned = e.checked, e.hits, e.learned
		for _, p := range e.example {
			r.Examples = append(r.Examples, RowExample{Row: p.row + 1, Raw: displayMask(p.x), Release: p.y})
		}
		how = describeExplanation(e, tg.col.Name)
		if e.digest != nil {
			r.Enumerated, r.Candidates, r.Space = enumerate(*e.digest, tg.values, newReleaseIndex(col), budget)
			if r.Candidates > 0 {
				how += fmt.Sprintf("; without the raw table, enumerating %s (%d candidates) restores %d", r.Space, r.Candidates, r.Enumerated)
			}
		}
	}
	res.Restored = append(res.Restored, r)
	res.fail(CheckRestorable, col.Name, articleTianjin29, d.Restorable,
		"%s is a deterministic function of raw column %q over %d rows (%d distinct raw values, %d distinct released values, %d collisions, %d raw values released inconsistently; %d raw values each have a released value of their own); %s; not made by platform pseudonymization; Tianjin Art. 29: the processing can be reversed",
		col.Name, tg.col.Name, d.Rows, d.DistinctRaw, d.DistinctRelease, d.Collisions, d.Inconsistent, d.Restorable, how)
}

// describeExplanation says which transform reproduces the column, on how
// many rows, with the example rows.
func describeExplanation(e explanation, raw string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "transform: %s of %s", e.method, raw)
	if e.learned > 0 {
		fmt.Fprintf(&b, ", learned on %d rows, predicts %d of %d held-out rows (%.0f %%)", e.learned, e.hits, e.checked, 100*float64(e.hits)/float64(e.checked))
	} else {
		fmt.Fprintf(&b, ", reproduces %d of %d rows checked", e.hits, e.checked)
	}
	for _, p := range e.example {
		fmt.Fprintf(&b, "; row %d: %s → %s", p.row+1, displayMask(p.x), p.y)
	}
	return b.String()
}

// samplePairs takes up to pairSample aligned rows, spread over the table,
// one per distinct raw value, whose raw and release values are present;
// each carries the row's other raw values (for concatenations).
func samplePairs(raw *Table, rc, col *Column) ([]pair, []string) {
	var others []*Column
	var names []string
	for _, c := range raw.Columns {
		if c != rc {
			others, names = append(others, c), append(names, c.Name)
		}
	}
	n := len(rc.Codes)
	step := max(1, n/(pairSample*2))
	seen := map[int32]bool{}
	var out []pair
	for r := 0; r < n && len(out) < pairSample; r += step {
		a := rc.Codes[r]
		x, y := strings.TrimSpace(rc.Dict[a]), strings.TrimSpace(col.Dict[col.Codes[r]])
		if seen[a] || isMissing(x) || isMissing(y) {
			continue
		}
		seen[a] = true
		p := pair{row: r, x: x, y: y, others: make([]string, len(others))}
		for i, c := range others {
			p.others[i] = strings.TrimSpace(c.Dict[c.Codes[r]])
		}
		out = append(out, p)
	}
	return out, names
}

// carriedOver reports whether a release column is what its same-named raw
// column became — copied, or generalized (a function of it with fewer
// values) — and not an identifier's disguise: checks c and d judge it.
// A copy of a raw column whose values are (nearly) all different must be a
// copy cell by cell.
func carriedOver(raw *Table, col *Column, identifying map[string]bool) bool {
	rc := raw.Column(col.Name)
	if rc == nil {
		return false
	}
	if identifying[col.Name] || nearUnique(rc) {
		return identicalShare(rc, col) >= 0.99
	}
	return functionOf(rc, col)
}

// checkQIDependent fails a release column that is a deterministic, (almost)
// one-to-one function of the combination of raw quasi-identifiers when
// that combination is unique for most people: it then points at one person
// as surely as an identifier (Tianjin Art. 29).
func checkQIDependent(res *GateResult, raw *Table, col *Column, qi *qiTuple) bool {
	d := dependency(qi.name, qi.codes, qi.count, col)
	if !d.Dependent() {
		return false
	}
	var ex []string
	for r := 0; r < len(qi.codes) && len(ex) < 2; r += max(1, len(qi.codes)/3) {
		if v := col.Dict[col.Codes[r]]; !isMissing(v) {
			vals := make([]string, len(qi.cols))
			for i, c := range qi.cols {
				vals[i] = raw.Columns[c].Dict[raw.Columns[c].Codes[r]]
			}
			ex = append(ex, fmt.Sprintf("row %d: %s → %s", r+1, strings.Join(vals, ", "), v))
		}
	}
	res.Restored = append(res.Restored, Restoration{Column: col.Name, RawColumn: qi.name, Method: "function of a unique quasi-identifier combination",
		Restored: d.Restorable, Distinct: d.DistinctRelease, Dependency: &d})
	res.fail(CheckRestorable, col.Name, articleTianjin29, d.Restorable,
		"%s is a deterministic function of the quasi-identifiers %s over %d rows (%d distinct combinations, %d distinct released values, %d collisions; the combination is unique for %d of %d raw records); %s; Tianjin Art. 29: the processing can be reversed",
		col.Name, qi.name, d.Rows, d.DistinctRaw, d.DistinctRelease, d.Collisions, qi.unique, raw.Rows(), strings.Join(ex, "; "))
	return true
}

// qiTuple numbers the raw quasi-identifier combinations per row.
type qiTuple struct {
	name          string
	cols          []int
	codes         []int32
	count, unique int
}

func newQITuple(raw *Table, cols []int) *qiTuple {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = raw.Columns[c].Name
	}
	codes, count, unique := tupleCodes(raw, cols)
	return &qiTuple{name: strings.Join(names, "+"), cols: cols, codes: codes, count: count, unique: unique}
}

// mostlyMasked reports whether most values of col carry mask characters.
func mostlyMasked(col *Column) bool {
	n := 0
	for _, v := range col.Dict {
		if hasMask(v) {
			n++
		}
	}
	return n*2 > len(col.Dict)
}
