package anonymizer

import (
	"encoding/binary"
	"strings"
)

// releaseClasses are the equivalence classes of the release over its
// quasi-identifiers, suppressed records (every quasi-identifier "*") left out.
type releaseClasses struct {
	ids   map[string]int32 // tuple of release codes -> class
	size  []int32
	codes [][]int32 // class -> release code per quasi-identifier
	row   []int32   // release row -> class, -1 when suppressed
}

func tupleKey(buf []byte, codes []int32) []byte {
	buf = buf[:0]
	for _, c := range codes {
		buf = binary.LittleEndian.AppendUint32(buf, uint32(c))
	}
	return buf
}

// newReleaseClasses groups the release rows by their quasi-identifier
// values. Records with "*" in every quasi-identifier are suppressed and left
// out, unless every record is: then the release is one class of all records.
// It returns the classes and the number of suppressed records.
func newReleaseClasses(release *Table, links []*qiLink) (*releaseClasses, int) {
	n := release.Rows()
	star := make([]bool, n)
	stars := 0
	for r := range n {
		star[r] = true
		for _, l := range links {
			if l.gen[l.rel.Codes[r]].kind != linkAny {
				star[r] = false
				break
			}
		}
		if star[r] {
			stars++
		}
	}
	keepStars := stars == n
	rc := &releaseClasses{ids: map[string]int32{}, row: make([]int32, n)}
	tuple := make([]int32, len(links))
	var buf []byte
	suppressed := 0
	for r := range n {
		if star[r] && !keepStars {
			rc.row[r] = -1
			suppressed++
			continue
		}
		for d, l := range links {
			tuple[d] = l.rel.Codes[r]
		}
		buf = tupleKey(buf, tuple)
		id, ok := rc.ids[string(buf)]
		if !ok {
			id = int32(len(rc.size))
			rc.ids[string(buf)] = id
			rc.size = append(rc.size, 0)
			rc.codes = append(rc.codes, append([]int32(nil), tuple...))
		}
		rc.row[r] = id
		rc.size[id]++
	}
	return rc, suppressed
}

// linkResult is what the prosecutor achieves over all raw records.
type linkResult struct {
	linked, unique, above int
	maxTheta, sumTheta    float64
}

// link computes, for every distinct raw tuple of quasi-identifier values, the
// number of release records consistent with it (its linked set), and from it
// the prosecutor risk θ = 1/|set| of each raw record. A raw record
// consistent with no released class is one of the suppressed records when
// the release keeps them: its linked set is that group.
func link(raw *Table, rawCols []int, links []*qiLink, rc *releaseClasses, suppressed int, threshold float64) linkResult {
	type tupleCount struct {
		first int32 // a raw row holding the tuple
		n     int32
	}
	// Tuples are keyed by their codes in mixed radix when that fits 63 bits
	// (the usual case: a few quasi-identifiers), else by their bytes.
	radix, fits := uint64(1), true
	for _, c := range rawCols {
		size := uint64(len(raw.Columns[c].Dict)) + 1
		if radix > (1<<63)/size {
			fits = false
			break
		}
		radix *= size
	}
	var counts []*tupleCount
	if fits {
		byNum := make(map[uint64]int32, min(raw.Rows(), 1<<20))
		for r := range raw.Rows() {
			key := uint64(0)
			for _, c := range rawCols {
				col := raw.Columns[c]
				key = key*uint64(len(col.Dict)+1) + uint64(col.Codes[r])
			}
			if i, ok := byNum[key]; ok {
				counts[i].n++
			} else {
				byNum[key] = int32(len(counts))
				counts = append(counts, &tupleCount{first: int32(r), n: 1})
			}
		}
	} else {
		tuple := make([]int32, len(links))
		byBytes := map[string]int32{}
		var buf []byte
		for r := range raw.Rows() {
			for d, c := range rawCols {
				tuple[d] = raw.Columns[c].Codes[r]
			}
			buf = tupleKey(buf, tuple)
			if i, ok := byBytes[string(buf)]; ok {
				counts[i].n++
			} else {
				byBytes[string(buf)] = int32(len(counts))
				counts = append(counts, &tupleCount{first: int32(r), n: 1})
			}
		}
	}
	tuple := make([]int32, len(links))
	m := newMatcher(links, rc)
	var res linkResult
	for _, t := range counts {
		for d, c := range rawCols {
			tuple[d] = raw.Columns[c].Codes[t.first]
		}
		size := m.count(tuple)
		if size == 0 {
			if suppressed == 0 {
				continue
			}
			size = suppressed
		}
		theta := 1 / float64(size)
		n := int(t.n)
		res.linked += n
		res.sumTheta += theta * float64(n)
		if size == 1 {
			res.unique += n
		}
		if theta > threshold {
			res.above += n
		}
		if theta > res.maxTheta {
			res.maxTheta = theta
		}
	}
	return res
}

// homogeneity is check d: classes of two or more records whose values of a
// sensitive column are all the same disclose that value for every member.
func homogeneity(res *GateResult, release *Table, sensitive []int, rc *releaseClasses, links []*qiLink) {
	for _, c := range sensitive {
		col := release.Columns[c]
		first := make([]int32, len(rc.size))
		for i := range first {
			first[i] = -1
		}
		mixed := make([]bool, len(rc.size))
		for r, id := range rc.row {
			if id < 0 {
				continue
			}
			v := col.Codes[r]
			if first[id] == -1 {
				first[id] = v
			} else if first[id] != v {
				mixed[id] = true
			}
		}
		classes, records, example := 0, 0, -1
		for id, size := range rc.size {
			if size >= 2 && !mixed[id] {
				classes++
				records += int(size)
				if example < 0 {
					example = id
				}
			}
		}
		if classes == 0 {
			continue
		}
		var qi []string
		for d, l := range links {
			qi = append(qi, l.name+"="+l.rel.Dict[rc.codes[example][d]])
		}
		res.fail(CheckHomogeneity, col.Name, articleTianjin29, records,
			"%d equivalence classes (%d records) have one value of %q for every member (e.g. %s → %q): attribute disclosure; Tianjin Art. 29, GB/T 42460-2023 (accept only with accept_homogeneity in the policy)",
			classes, records, col.Name, strings.Join(qi, ", "), col.Dict[first[example]])
	}
}

// reportRisk turns the prosecutor's result into reasons (GB/T 42460-2023
// Annex D): any unique link, any record whose θ exceeds the mode's threshold.
func reportRisk(res *GateResult, lr linkResult, qis []string, mode Mode) {
	res.RecordsLinked, res.UniqueLinks, res.RecordsAbove = lr.linked, lr.unique, lr.above
	res.RiskMax = lr.maxTheta
	if lr.linked > 0 {
		res.RiskMean = lr.sumTheta / float64(lr.linked)
	}
	res.Risk = res.RiskMean
	if mode == ModePublic {
		res.Risk = res.RiskMax
	}
	cols := strings.Join(qis, ",")
	if lr.unique > 0 {
		res.fail(CheckRisk, cols, articleAnnexD, lr.unique,
			"%d raw records link to exactly one release record by their quasi-identifiers (θ = 1); GB/T 42460-2023 Annex D, Tianjin Art. 29",
			lr.unique)
	}
	if lr.above > lr.unique {
		res.fail(CheckRisk, cols, articleAnnexD, lr.above,
			"%d raw records link to fewer than %d release records (θ above the %s threshold 1/%d; max θ = %.4f, R = %.4f); GB/T 42460-2023 Annex D",
			lr.above, mode.minClass(), mode, mode.minClass(), lr.maxTheta, res.Risk)
	}
}

// reportUnlinked fails a quasi-identifier whose release values the gate
// cannot relate to the raw values (an unknown generalization): the risk
// would otherwise be underestimated.
func reportUnlinked(res *GateResult, l *qiLink, allowance float64) {
	rows := 0
	example := -1
	counts := codeCounts(l.raw)
	for rc, cs := range l.compat {
		if len(cs) == 0 && counts[rc] > 0 {
			rows += counts[rc]
			if example < 0 {
				example = rc
			}
		}
	}
	if rows == 0 || float64(rows) <= allowance*float64(len(l.raw.Codes)) {
		return
	}
	relEx := ""
	for _, v := range l.rel.Dict {
		if !isMissing(v) {
			relEx = v
			break
		}
	}
	res.fail(CheckRisk, l.name, articleAnnexD, rows,
		"%d raw records have a value of %q consistent with no release value (e.g. raw %q, release values such as %q): the generalization is not understood, so the risk cannot be bounded; give the column's hierarchy in the policy",
		rows, l.name, displayMask(l.raw.Dict[example]), relEx)
}
