package anonymizer

import "strings"

// Dependency is how far a release column is a deterministic, (almost)
// one-to-one function of a raw column (or of a combination of raw
// quasi-identifiers), measured over the aligned rows of both tables
// (Tianjin Art. 29: whatever its values look like, such a column restores
// the raw value to whoever holds the mapping or the rule).
type Dependency struct {
	// RawColumn names the raw column, or the quasi-identifiers joined by "+".
	RawColumn string `json:"raw_column"`
	// Rows is the number of aligned rows with a released value.
	Rows int `json:"rows"`
	// DistinctRaw and DistinctRelease count the values on those rows.
	DistinctRaw     int `json:"distinct_raw"`
	DistinctRelease int `json:"distinct_release"`
	// Collisions counts release values shared by two raw values or more.
	Collisions int `json:"collisions"`
	// Inconsistent counts raw values released as two values or more.
	Inconsistent int `json:"inconsistent"`
	// Repeated counts raw values on two rows or more: on them, whether the
	// release is deterministic is observed, not assumed.
	Repeated int `json:"repeated"`
	// Restorable counts raw values that are always released as the same
	// value and share it with no other raw value: that value gives them back.
	Restorable int `json:"restorable"`
}

// Share is Restorable as a fraction of DistinctRaw.
func (d Dependency) Share() float64 {
	if d.DistinctRaw == 0 {
		return 0
	}
	return float64(d.Restorable) / float64(d.DistinctRaw)
}

// Dependent reports whether the release column restores its raw column:
// at least two raw values, and half of them or more, each released as a
// value of its own; and, where raw values repeat, most of them released
// consistently. A generalization (many raw values per release value) and
// random noise (one raw value, many release values) are not.
func (d Dependency) Dependent() bool {
	return d.Restorable >= 2 && d.Restorable*2 >= d.DistinctRaw && d.Inconsistent*2 <= d.Repeated
}

// dependency measures rel as a function of the raw codes a (one code per
// aligned row, values in [0, nRaw)); missing release values (empty, "*")
// are left out. It allocates two arrays of the dictionaries' sizes and makes
// one pass over the rows.
func dependency(name string, a []int32, nRaw int, rel *Column) Dependency {
	const none, many = -1, -2
	fwd := make([]int32, nRaw)
	seen := make([]uint8, nRaw) // 1: once, 2: twice or more
	for i := range fwd {
		fwd[i] = none
	}
	bwd := make([]int32, len(rel.Dict))
	missing := make([]bool, len(rel.Dict))
	for i, v := range rel.Dict {
		bwd[i] = none
		missing[i] = isMissing(v) || (len(v) > 0 && allMask(v))
	}
	d := Dependency{RawColumn: name}
	for r, x := range a {
		b := rel.Codes[r]
		if missing[b] || x < 0 {
			continue
		}
		d.Rows++
		if seen[x] < 2 {
			seen[x]++
		}
		switch f := fwd[x]; {
		case f == none:
			fwd[x] = b
		case f != b && f != many:
			fwd[x] = many
		}
		switch g := bwd[b]; {
		case g == none:
			bwd[b] = x
		case g != x && g != many:
			bwd[b] = many
		}
	}
	for x, f := range fwd {
		if seen[x] == 2 {
			d.Repeated++
		}
		switch {
		case f == none:
		case f == many:
			d.DistinctRaw++
			d.Inconsistent++
		default:
			d.DistinctRaw++
			if bwd[f] >= 0 {
				d.Restorable++
			}
		}
	}
	for _, g := range bwd {
		switch g {
		case none:
		case many:
			d.DistinctRelease++
			d.Collisions++
		default:
			d.DistinctRelease++
		}
	}
	return d
}

// allMask reports whether every character of v is a mask character.
func allMask(v string) bool {
	for _, r := range v {
		if !isMaskRune(r) {
			return false
		}
	}
	return true
}

// functionOf reports whether rel is (nearly) a deterministic function of
// the raw column: at most 1 % of its distinct values are released
// inconsistently. A column that is what its same-named raw column became
// (copied or generalized) is judged by checks c and d, not here.
func functionOf(raw, rel *Column) bool {
	d := dependency(raw.Name, raw.Codes, len(raw.Dict), rel)
	return d.Rows > 0 && d.Inconsistent*100 <= d.DistinctRaw
}

// identicalShare is the share of aligned rows whose release value equals the
// raw value (each pair of codes compared once).
func identicalShare(raw, rel *Column) float64 {
	if len(raw.Codes) == 0 || len(raw.Codes) != len(rel.Codes) {
		return 0
	}
	last := make([]int32, len(raw.Dict))
	eq := make([]bool, len(raw.Dict))
	for i := range last {
		last[i] = -1
	}
	n := 0
	for r, a := range raw.Codes {
		b := rel.Codes[r]
		if last[a] != b {
			last[a], eq[a] = b, strings.TrimSpace(raw.Dict[a]) == strings.TrimSpace(rel.Dict[b])
		}
		if eq[a] {
			n++
		}
	}
	return float64(n) / float64(len(raw.Codes))
}

// nearUnique reports whether most raw values of col occur once (then any
// column is trivially a function of it).
func nearUnique(col *Column) bool {
	return len(col.Dict)*10 >= len(col.Codes)*9
}

// tupleCodes numbers the combinations of the raw columns cols per row, and
// returns the codes, their count and how many rows hold a combination no
// other row holds.
func tupleCodes(raw *Table, cols []int) ([]int32, int, int) {
	n := raw.Rows()
	cur := make([]int32, n)
	count := 1
	for _, c := range cols {
		codes := raw.Columns[c].Codes
		ix := make(map[uint64]int32, min(n, 1<<20))
		for r := range n {
			k := uint64(uint32(cur[r]))<<32 | uint64(uint32(codes[r]))
			v, ok := ix[k]
			if !ok {
				v = int32(len(ix))
				ix[k] = v
			}
			cur[r] = v
		}
		count = len(ix)
	}
	sizes := make([]int32, count)
	for _, x := range cur {
		sizes[x]++
	}
	unique := 0
	for _, s := range sizes {
		if s == 1 {
			unique++
		}
	}
	return cur, count, unique
}
