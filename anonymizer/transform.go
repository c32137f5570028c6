package anonymizer

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"runtime"
	"sync"
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
	for r := range sup {
		sup[r] = out[remap[e.rowClass[r]]]
	}
	e.mem.freeAll()
	s.path, s.ht, e = nil, hashTable{}, nil
	res.Table = transformTable(t, cfg, gens, func(r int) bool { return sup[r] })
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
// suppressed record), the rest copied. Suppressed records are left out when
// cfg.DropSuppressed. Columns stay dictionary-encoded: every transform is a
// map over dictionary codes.
func transformTable(t *Table, cfg Config, gens map[int]colGen, suppressed func(int) bool) *Table {
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
	if cfg.DropSuppressed {
		keep = make([]int, 0, t.Rows())
		for r := 0; r < t.Rows(); r++ {
			if !suppressed(r) {
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
	for ci, c := range t.Columns {
		if drop[c.Name] {
			continue
		}
		nc := &Column{Name: c.Name, Codes: t.newCodes(rows)}
		switch g, isQI := gens[ci]; {
		case isQI:
			nc.Dict = append(append([]string(nil), g.labels...), Suppressed)
			star := int32(len(g.labels))
			for i := range rows {
				r := i
				if keep != nil {
					r = keep[i]
				}
				switch {
				case suppressed(r):
					nc.Codes[i] = star
				case g.perRow != nil:
					nc.Codes[i] = g.perRow[r]
				default:
					nc.Codes[i] = g.gen[c.Codes[r]]
				}
			}
			nc.reindex() // generalized labels repeat across codes
		case cfg.SuppressSensitive && isSensitive(cfg, c.Name):
			k := keep
			if k == nil {
				k = make([]int, rows)
				for i := range k {
					k[i] = i
				}
			}
			suppressSensitive(nc, c, k, suppressed)
		case pseudo[c.Name]:
			// Distinct values have distinct pseudonyms, so the codes carry
			// over; the index is built only if someone asks (Code).
			if t.spill != nil {
				nc.Dict = cfg.spilledPseudonyms(t.spill, c.Dict)
			} else {
				nc.Dict = cfg.pseudonymDict(c.Dict)
			}
			copyCodes(nc.Codes, c.Codes, keep)
		default:
			nc.Dict = c.Dict
			copyCodes(nc.Codes, c.Codes, keep)
		}
		out.Columns = append(out.Columns, nc)
	}
	return out
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

// reindex rebuilds the value → code index, merging equal labels.
func (c *Column) reindex() {
	c.index = make(map[string]int32, len(c.Dict))
	canon := make([]int32, len(c.Dict))
	dict := c.Dict[:0:0]
	for i, v := range c.Dict {
		code, ok := c.index[v]
		if !ok {
			code = int32(len(dict))
			dict = append(dict, v)
			c.index[v] = code
		}
		canon[i] = code
	}
	if len(dict) != len(c.Dict) {
		for i, x := range c.Codes {
			c.Codes[i] = canon[x]
		}
	}
	c.Dict = dict
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

// pseudonyms is Pseudonym of every value, on all cores, each goroutine
// reusing one keyed hash.
func pseudonyms(key []byte, values []string) []string {
	out := make([]string, len(values))
	n := min(runtime.GOMAXPROCS(0), 8, max(len(values)/4096, 1))
	var wg sync.WaitGroup
	for w := 0; w < n; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m := hmac.New(sha256.New, key)
			var sum [sha256.Size]byte
			for i := w; i < len(values); i += n {
				m.Reset()
				m.Write([]byte(values[i]))
				out[i] = hex.EncodeToString(m.Sum(sum[:0]))
			}
		}()
	}
	wg.Wait()
	return out
}
