package anonymizer

// matcher counts the release records consistent with a raw tuple of
// quasi-identifier values.
type matcher struct {
	links    []*qiLink
	rc       *releaseClasses
	postings [][][]int32 // quasi-identifier -> release code -> classes (built on first need)
	stamp    [][]int32   // quasi-identifier -> release code -> query number when consistent
	query    int32
	combo    []int32
	buf      []byte
}

// maxProduct is the largest number of release tuples enumerated directly;
// above it the classes are filtered through posting lists instead.
const maxProduct = 256

func newMatcher(links []*qiLink, rc *releaseClasses) *matcher {
	return &matcher{links: links, rc: rc, combo: make([]int32, len(links))}
}

// count returns the number of non-suppressed release records whose every
// quasi-identifier value is consistent with the raw tuple.
func (m *matcher) count(raw []int32) int {
	product := 1
	for d, l := range m.links {
		n := len(l.compat[raw[d]])
		if n == 0 {
			return 0
		}
		product *= n
		if product > maxProduct {
			return m.countByPostings(raw)
		}
	}
	return m.enumerate(raw, 0)
}

// enumerate sums the class sizes of every combination of consistent values.
func (m *matcher) enumerate(raw []int32, d int) int {
	if d == len(m.links) {
		m.buf = tupleKey(m.buf, m.combo)
		if id, ok := m.rc.ids[string(m.buf)]; ok {
			return int(m.rc.size[id])
		}
		return 0
	}
	total := 0
	for _, c := range m.links[d].compat[raw[d]] {
		m.combo[d] = c
		total += m.enumerate(raw, d+1)
	}
	return total
}

// countByPostings walks the classes holding a consistent value of the most
// selective quasi-identifier and checks the others.
func (m *matcher) countByPostings(raw []int32) int {
	if m.postings == nil {
		m.postings = make([][][]int32, len(m.links))
		m.stamp = make([][]int32, len(m.links))
		for d, l := range m.links {
			m.postings[d] = make([][]int32, len(l.rel.Dict))
			m.stamp[d] = make([]int32, len(l.rel.Dict))
		}
		for id, codes := range m.rc.codes {
			for d, c := range codes {
				m.postings[d][c] = append(m.postings[d][c], int32(id))
			}
		}
	}
	m.query++
	best, bestLen := 0, -1
	for d, l := range m.links {
		n := 0
		for _, c := range l.compat[raw[d]] {
			m.stamp[d][c] = m.query
			n += len(m.postings[d][c])
		}
		if bestLen < 0 || n < bestLen {
			best, bestLen = d, n
		}
	}
	total := 0
	for _, c := range m.links[best].compat[raw[best]] {
	classes:
		for _, id := range m.postings[best][c] {
			for d, code := range m.rc.codes[id] {
				if m.stamp[d][code] != m.query {
					continue classes
				}
			}
			total += int(m.rc.size[id])
		}
	}
	return total
}
