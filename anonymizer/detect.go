package anonymizer

import (
	"math"
	"slices"
	"sort"
	"strings"
)

// DetectOptions control Detect.
type DetectOptions struct {
	// MaxRows caps the rows examined per column (evenly spaced over the
	// table); 0 examines every row.
	MaxRows int
}

// Detection is what Detect found in a table: per column, the identifier
// types, identifiers inside free text, and a proposed role. Its JSON is the
// output of `shujiao detect --json` (documented in docs/detection.md).
type Detection struct {
	File    string            `json:"file"`
	Rows    int               `json:"rows"`
	Columns []ColumnDetection `json:"columns"`
}

// ColumnDetection is the detection of one column.
type ColumnDetection struct {
	Name string `json:"name"`
	// NonEmpty is the number of examined rows whose value is not blank;
	// match rates are shares of it.
	NonEmpty int `json:"non_empty"`
	// Distinct is the number of distinct non-blank values examined.
	Distinct int `json:"distinct"`
	// Types are the types of whole values, most frequent first.
	Types []TypeMatch `json:"types"`
	// FreeTextHits are identifiers found inside longer values (sentences).
	FreeTextHits []FreeTextHit `json:"free_text_hits"`
	// ProposedRole is identifying, quasi, sensitive or insensitive.
	ProposedRole Role `json:"proposed_role"`
	// Confidence in the proposed role, 0..1.
	Confidence float64 `json:"confidence"`
	// Reason says in a few words why the role was proposed.
	Reason string `json:"reason"`
}

// TypeMatch is one type of whole values in a column.
type TypeMatch struct {
	Type      PIIType `json:"type"`
	MatchRate float64 `json:"match_rate"`
	Count     int     `json:"count"`
	Example   string  `json:"example"` // masked, see MaskValue
}

// FreeTextHit counts the cells of a column that contain an identifier of
// one type inside a longer text.
type FreeTextHit struct {
	Type    PIIType `json:"type"`
	Cells   int     `json:"cells"`
	Rate    float64 `json:"rate"`
	Example string  `json:"example"` // the identifier, masked
}

// Detect examines every column of t: each distinct value is classified once
// (ClassifyValue) and weighted by how often it occurs, values that are not
// identifiers themselves are scanned for identifiers inside them
// (FindIdentifiers), and from both and the column's name a role is proposed
// with a confidence. It does not modify t and is safe for concurrent use
// with other readers of t.
func Detect(t *Table, opt DetectOptions) *Detection {
	d := &Detection{File: t.Source, Rows: t.Rows(), Columns: make([]ColumnDetection, 0, len(t.Columns))}
	for _, c := range t.Columns {
		d.Columns = append(d.Columns, detectColumn(c, t.Rows(), opt))
	}
	return d
}

// Column returns the detection of the named column, or nil.
func (d *Detection) Column(name string) *ColumnDetection {
	for i := range d.Columns {
		if d.Columns[i].Name == name {
			return &d.Columns[i]
		}
	}
	return nil
}

// Roles returns the proposed role of every column.
func (d *Detection) Roles() map[string]Role {
	m := make(map[string]Role, len(d.Columns))
	for _, c := range d.Columns {
		m[c.Name] = c.ProposedRole
	}
	return m
}

// Rate returns the match rate of type typ among the column's whole values
// (0 when absent).
func (c *ColumnDetection) Rate(typ PIIType) float64 {
	for _, m := range c.Types {
		if m.Type == typ {
			return m.MatchRate
		}
	}
	return 0
}

type tally struct {
	n       int
	example string
}

func detectColumn(c *Column, rows int, opt DetectOptions) ColumnDetection {
	counts := make([]int, len(c.Dict))
	step := 1
	if opt.MaxRows > 0 && rows > opt.MaxRows {
		step = (rows + opt.MaxRows - 1) / opt.MaxRows
	}
	for r := 0; r < rows; r += step {
		counts[c.Codes[r]]++
	}
	birthContext := nameHas(c.Name, birthNames)
	nameCtx := ColumnNameContext(c.Name)
	types := map[PIIType]*tally{}
	hits := map[PIIType]*tally{}
	cd := ColumnDetection{Name: c.Name, Types: []TypeMatch{}, FreeTextHits: []FreeTextHit{}}
	for code, n := range counts {
		if n == 0 {
			continue
		}
		v := strings.TrimSpace(c.Dict[code])
		if v == "" {
			continue
		}
		cd.NonEmpty += n
		cd.Distinct++
		typ, ok := ClassifyValue(v)
		if birthContext && (typ == TypeDate || !ok) && ValidBirthDate(v) {
			typ, ok = TypeBirthDate, true
		}
		typ, ok = classifyNameInColumn(v, typ, ok, nameCtx)
		if ok {
			add(types, typ, n, v)
		}
		if (!ok || !typ.Direct()) && len(v) >= 7 {
			var seen []PIIType // types already counted for this value
			for _, m := range FindIdentifiers(v) {
				if m.Start == 0 && m.End == len(v) || slices.Contains(seen, m.Type) {
					continue
				}
				seen = append(seen, m.Type)
				add(hits, m.Type, n, m.Value)
			}
		}
	}
	if tl := types[TypeName]; tl != nil && !namesCount(c.Name, tl.n, cd) {
		delete(types, TypeName)
	}
	for typ, tl := range types {
		cd.Types = append(cd.Types, TypeMatch{Type: typ, MatchRate: rate(tl.n, cd.NonEmpty), Count: tl.n, Example: MaskValue(typ, tl.example)})
	}
	sort.Slice(cd.Types, func(i, j int) bool {
		if cd.Types[i].Count != cd.Types[j].Count {
			return cd.Types[i].Count > cd.Types[j].Count
		}
		return cd.Types[i].Type < cd.Types[j].Type
	})
	for typ, tl := range hits {
		cd.FreeTextHits = append(cd.FreeTextHits, FreeTextHit{Type: typ, Cells: tl.n, Rate: rate(tl.n, cd.NonEmpty), Example: MaskValue(typ, tl.example)})
	}
	sort.Slice(cd.FreeTextHits, func(i, j int) bool {
		if cd.FreeTextHits[i].Cells != cd.FreeTextHits[j].Cells {
			return cd.FreeTextHits[i].Cells > cd.FreeTextHits[j].Cells
		}
		return cd.FreeTextHits[i].Type < cd.FreeTextHits[j].Type
	})
	cd.ProposedRole, cd.Confidence, cd.Reason = proposeRole(cd)
	return cd
}

// namesCount decides whether name-shaped values make a name column: the
// column is named like one, or most values are name-shaped and they vary as
// names do (not a short list of categories).
func namesCount(column string, n int, cd ColumnDetection) bool {
	if ColumnNameContext(column).Cue {
		return true
	}
	return cd.NonEmpty > 0 && float64(n) >= 0.8*float64(cd.NonEmpty) &&
		float64(cd.Distinct) >= 0.3*float64(cd.NonEmpty) && cd.Distinct >= 5
}

func add(m map[PIIType]*tally, t PIIType, n int, example string) {
	tl := m[t]
	if tl == nil {
		tl = &tally{example: example}
		m[t] = tl
	}
	tl.n += n
}

func rate(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return round3(float64(n) / float64(of))
}

func round3(f float64) float64 { return math.Round(f*1000) / 1000 }
