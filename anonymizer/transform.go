package anonymizer

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"sync"
	"time"
)

// Suppressed is written in every quasi-identifier of a suppressed record (as ARX does).
const Suppressed = "*"

// release applies the full-domain transformation at levels to t and measures it.
func release(t *Table, cfg Config, e *encoded, s *searcher, levels []int) *Result {
	remap := make([]int32, e.bottom.classes())
	fs := e.generalizePar(s.workers(), e.bottom, levels, remap, 0)
	n := s.evaluate(fs, true)
	out := make([]bool, fs.classes())
	for _, c := range n.outliers {
		out[c] = true
	}
	res := &Result{RowsIn: t.Rows(), Levels: append([]int(nil), levels...), Transformation: map[string]int{}}
	for i, d := range e.lt.dims {
		res.Transformation[d.name] = levels[i]
	}
	res.Metrics = s.sc.all(fs, n.outliers, n.suppressed)
	sizes := make([]int64, 0, fs.classes())
	for c, cnt := range fs.counts {
		if !out[c] {
			sizes = append(sizes, int64(cnt))
		}
	}
	fillClassStats(res, sizes, n.suppressed)
	res.Risk = measureRisk(sizes, n.suppressed, uniques(e.bottom.counts))
	res.NodesChecked = s.checked
	gens := make(map[int]colGen, len(e.lt.dims))
	for i, d := range e.lt.dims {
		gens[d.col] = colGen{labels: d.labels[levels[i]], gen: d.gen[levels[i]]}
	}
	// One flag per row, so that the encoded table and the search's caches
	// (a good part of the memory on millions of rows) can be collected
	// before the release is built beside the input.
	sup := make([]bool, t.Rows())
	rowClass := e.rowClass
	parallelRows(workersFor(t), len(sup), func(lo, hi int) {
		for r := lo; r < hi; r++ {
			sup[r] = out[remap[rowClass[r]]]
		}
	})
	e.mem.freeAll() // rowClass and the search's mapped sets, when spilled
	s.path, s.ht, e, rowClass = nil, hashTable{}, nil, nil
	res.Table, res.Phases.Pseudonymize = transformTable(t, cfg, gens, sup)
	res.RowsOut = res.Table.Rows()
	return res
}

func fillClassStats(res *Result, sizes []int64, suppressed int64) {
	res.Suppressed = int(suppressed)
	res.Classes = len(sizes)
	var total int64
	for i, s := range sizes {
		total += s
		if i == 0 || int(s) < res.MinClassSize {
			res.MinClassSize = int(s)
		}
	}
	if len(sizes) > 0 {
		res.AvgClassSize = float64(total) / float64(len(sizes))
	}
}

// colGen generalizes one quasi-identifier column: data code → label index.
type colGen struct {
	labels []string
	gen    []int32
	// perRow, when set (local recoding), gives the label index of each row.
	perRow []int32
}

// transformTable builds the release: identifying columns dropped or
// pseudonymized, quasi-identifiers generalized (Suppressed in each for a
// suppressed record), the rest copied. sup flags the suppressed records
// (nil: none); they are left out when cfg.DropSuppressed. Columns stay
// dictionary-encoded: every transform is a lookup table over dictionary
// codes, and the columns are built on all cores. It returns the time
// spent on pseudonyms too.
func transformTable(t *Table, cfg Config, gens map[int]colGen, sup []bool) (*Table, time.Duration) {
	drop := map[string]bool{}
	for _, n := range cfg.Drop {
		drop[n] = true
	}
	pseudo := map[string]bool{}
	for _, n := range cfg.Pseudonymize {
		pseudo[n] = true
	}
	// keep lists the rows of the release; nil: every row (eight bytes a
	// row spared when no record is left out)
	var keep []int
	rows := t.Rows()
	if cfg.DropSuppressed && sup != nil {
		keep = make([]int, 0, t.Rows())
		for r, s := range sup {
			if !s {
				keep = append(keep, r)
			}
		}
		rows = len(keep)
	}
	out := &Table{Source: t.Source, rows: rows, spill: t.spill}
	if rows == t.Rows() {
		out.Lines = t.Lines[:len(t.Lines):len(t.Lines)] // shared, read-only: appends reallocate
		out.lineBase = t.lineBase
	} else if t.Lines != nil || t.lineBase > 0 {
		out.Lines = make([]int, rows)
		for i, r := range keep {
			out.Lines[i] = t.Line(r)
		}
	}
	// The codes are allocated here, one column after the other (a spill
	// hands out its space serially), and filled on all cores below.
	var jobs []func()
	// The pseudonym jobs run beside each other: their phase is the wall
	// span from the first one's start to the last one's end.
	var pseudoMu sync.Mutex
	var pseudoFrom, pseudoTo time.Time
	for ci, c := range t.Columns {
		if drop[c.Name] {
			continue
		}
		nc := &Column{Name: c.Name, Codes: t.newCodes(rows)}
		out.Columns = append(out.Columns, nc)
		switch g, isQI := gens[ci]; {
		case isQI:
			jobs = append(jobs, func() { generalizeColumn(nc, c, g, keep, sup) })
		case cfg.SuppressSensitive && isSensitive(cfg, c.Name):
			jobs = append(jobs, func() { suppressSensitive(nc, c, keep, sup) })
		case pseudo[c.Name]:
			// Distinct values have distinct pseudonyms, so the codes carry
			// over; the index is built only if someone asks (Code). The
			// pseudonyms spread over the cores themselves: they run
			// first, beside the other columns. A repeated value (a
			// carried column) gets a repeated pseudonym.
			nc.carried = c.carried
			jobs = append([]func(){func() {
				began := time.Now()
				if t.spill != nil {
					nc.Dict = cfg.spilledPseudonyms(t.spill, c.Dict)
				} else {
					nc.Dict = cfg.pseudonymDict(c.Dict)
				}
				ended := time.Now()
				pseudoMu.Lock()
				if pseudoFrom.IsZero() || began.Before(pseudoFrom) {
					pseudoFrom = began
				}
				if ended.After(pseudoTo) {
					pseudoTo = ended
				}
				pseudoMu.Unlock()
				copyCodes(nc.Codes, c.Codes, keep)
			}}, jobs...)
		default:
			nc.Dict, nc.carried = c.Dict, c.carried
			jobs = append(jobs, func() { copyCodes(nc.Codes, c.Codes, keep) })
		}
	}
	parallelEach(workersFor(t), len(jobs), func(i int) { jobs[i]() })
	if pseudoFrom.IsZero() {
		return out, 0
	}
	return out, pseudoTo.Sub(pseudoFrom)
}

// generalizeColumn fills release column nc from quasi-identifier column c
// under g: each row's label, Suppressed in a suppressed record's. The
// labels that repeat (and a label "*", which suppression shares) are
// merged into one code, in the order of the labels, as Column.reindex
// merges them; the lookup table from data code to release code is built
// once, then applied to the rows.
func generalizeColumn(nc, c *Column, g colGen, keep []int, sup []bool) {
	labels := append(append(make([]string, 0, len(g.labels)+1), g.labels...), Suppressed)
	canon := nc.setMergedDict(labels)
	star := canon[len(g.labels)]
	var lookup []int32
	if g.perRow == nil {
		lookup = make([]int32, len(g.gen))
		for code, l := range g.gen {
			lookup[code] = canon[l]
		}
	}
	codes := c.Codes
	for i := range nc.Codes {
		r := i
		if keep != nil {
			r = keep[i]
		}
		switch {
		case sup != nil && sup[r]:
			nc.Codes[i] = star
		case lookup != nil:
			nc.Codes[i] = lookup[codes[r]]
		default:
			nc.Codes[i] = canon[g.perRow[r]]
		}
	}
}

// setMergedDict sets c's dictionary to values with repeated values merged
// (the first occurrence keeps its place) and its index to match; it
// returns the code of each of values.
func (c *Column) setMergedDict(values []string) []int32 {
	c.index = make(map[string]int32, len(values))
	canon := make([]int32, len(values))
	dict := make([]string, 0, len(values))
	for i, v := range values {
		code, ok := c.index[v]
		if !ok {
			code = int32(len(dict))
			dict = append(dict, v)
			c.index[v] = code
		}
		canon[i] = code
	}
	c.Dict = dict
	return canon
}

// copyCodes sets dst[i] = src[keep[i]] (keep nil: every row).
func copyCodes(dst, src []int32, keep []int) {
	// (a copy even when every row is kept: the release must not share
	// codes that a later AppendRow on the input could change)
	if keep == nil {
		copy(dst, src)
		return
	}
	for i, r := range keep {
		dst[i] = src[r]
	}
}

// Pseudonym is the keyed pseudonym of v: hex HMAC-SHA256(key, v). Without
// the key it cannot be recomputed or reversed; with it, equal values get
// equal pseudonyms (records stay linkable within and across releases under
// one key).
func Pseudonym(key []byte, v string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(v))
	return hex.EncodeToString(m.Sum(nil))
}

// pseudonyms is Pseudonym of every value (see Config.pseudonymDict).
func pseudonyms(key []byte, values []string) []string {
	return Config{PseudonymKey: key}.pseudonymDict(values)
}
