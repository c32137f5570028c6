package anonymizer

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"slices"
	"testing"
)

// The code before the release was built on all cores by lookup tables
// (issue 19), kept as the reference the new one must match code for code.

// referenceTransformTable is transformTable as it was: row by row, one
// column after the other, labels merged by reindex afterwards.
func referenceTransformTable(t *Table, cfg Config, gens map[int]colGen, suppressed func(int) bool) *Table {
	drop := map[string]bool{}
	for _, n := range cfg.Drop {
		drop[n] = true
	}
	pseudo := map[string]bool{}
	for _, n := range cfg.Pseudonymize {
		pseudo[n] = true
	}
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
	out := &Table{Source: t.Source, rows: rows}
	for ci, c := range t.Columns {
		if drop[c.Name] {
			continue
		}
		nc := &Column{Name: c.Name, Codes: make([]int32, rows)}
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
			nc.referenceReindex()
		case cfg.SuppressSensitive && isSensitive(cfg, c.Name):
			nc.Dict = append(append([]string(nil), c.Dict...), Suppressed)
			star := int32(len(c.Dict))
			for i := range rows {
				r := i
				if keep != nil {
					r = keep[i]
				}
				if suppressed(r) {
					nc.Codes[i] = star
				} else {
					nc.Codes[i] = c.Codes[r]
				}
			}
			nc.referenceReindex()
		case pseudo[c.Name]:
			nc.Dict = make([]string, len(c.Dict))
			for i, v := range c.Dict {
				nc.Dict[i] = Pseudonym(cfg.PseudonymKey, v)
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

// referenceReindex rebuilds the value → code index, merging equal labels.
func (c *Column) referenceReindex() {
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

// referenceColumnLoss is columnLoss as it was: a map lookup per row and
// column, a float sum in row order.
func referenceColumnLoss(res *Result, cfg Config) map[string]float64 {
	rel := res.Table
	cols := make([]*Column, len(cfg.QuasiIdentifiers))
	for i, q := range cfg.QuasiIdentifiers {
		cols[i] = rel.Column(q)
	}
	allStar := make([]bool, rel.Rows())
	starRows := 0
	if !cfg.DropSuppressed {
		for r := range allStar {
			all := true
			for _, c := range cols {
				if c.Dict[c.Codes[r]] != Suppressed {
					all = false
					break
				}
			}
			allStar[r] = all
			if all {
				starRows++
			}
		}
	}
	n, sup := float64(res.RowsIn), float64(res.Suppressed)
	out := map[string]float64{}
	for i, q := range cfg.QuasiIdentifiers {
		c := cols[i]
		cover, hsize := labelCover(cfg.Hierarchies[q], c, res.Transformation[q])
		var sum float64
		for r, code := range c.Codes {
			if !allStar[r] {
				sum += float64(cover[c.Dict[code]])
			}
		}
		sum += sup*float64(hsize) + float64(max(0, starRows-res.Suppressed))*float64(cover[Suppressed])
		if cfg.DropSuppressed {
			sum = 0
			for _, code := range c.Codes {
				sum += float64(cover[c.Dict[code]])
			}
			sum += sup * float64(hsize)
		}
		var l float64
		if hsize > 1 && n > 0 {
			l = max(0, (sum-n)/(n*float64(hsize-1)))
		}
		out[q] = l
	}
	return out
}

// TestRelease_LookupTablesOnAllCoresMatchTheRowByRowTransform anonymizes a
// generated table (more rows than one block of the parallel loops) with
// every combination of dropping and suppressing the sensitive values of
// suppressed records, and checks that the release (dictionaries, codes,
// value index) and the report's column loss are those of the row-by-row
// code it replaced, and that the CSV bytes are the same.
func TestRelease_LookupTablesOnAllCoresMatchTheRowByRowTransform(t *testing.T) {
	table := SynthesizeTable(3*releaseBlock+123, 7)
	specs := map[string]string{"出生日期": "date", "行政区划": "division", "性别": "mask",
		"学历": "ordered:小学,初中,中专,高中,大专,本科,硕士,博士", "收入": "interval:5000,10000,50000"}
	qi := []string{"性别", "出生日期", "行政区划", "学历", "收入"}
	for _, dropSup := range []bool{false, true} {
		for _, supSens := range []bool{false, true} {
			t.Run(fmt.Sprintf("drop suppressed %v, suppress sensitive %v", dropSup, supSens), func(t *testing.T) {
				cfg := Config{QuasiIdentifiers: qi, Sensitive: []string{"诊断"}, Drop: []string{"身份证号", "姓名"},
					Pseudonymize: []string{"手机号"}, PseudonymKey: []byte("reference-key-0001"),
					Models: Models{K: 50, Suppression: 0.1}, Hierarchies: map[string]*Hierarchy{},
					DropSuppressed: dropSup, SuppressSensitive: supSens}
				for _, col := range qi {
					h, err := ResolveHierarchy(table, col, specs[col])
					if err != nil {
						t.Fatal(err)
					}
					cfg.Hierarchies[col] = h
				}
				res, err := Anonymize(context.Background(), table, cfg)
				if err != nil {
					t.Fatal(err)
				}
				if res.Suppressed == 0 {
					t.Fatal("no record suppressed: the test would not see suppression")
				}
				gens := map[int]colGen{}
				for _, name := range qi {
					col := table.ColumnIndex(name)
					d, err := encodeDim(table, col, cfg.Hierarchies[name])
					if err != nil {
						t.Fatal(err)
					}
					l := res.Transformation[name]
					gens[col] = colGen{labels: d.labels[l], gen: d.gen[l]}
				}
				// the suppressed records: those whose quasi-identifiers are all "*"
				// in the release and were not already all "*" by their labels
				sup := suppressedRows(t, table, res, cfg, gens)
				want := referenceTransformTable(table, cfg, gens, func(r int) bool { return sup[r] })
				got, _ := transformTable(table, cfg, gens, sup)
				for i, wc := range want.Columns {
					gc := got.Columns[i]
					if gc.Name != wc.Name || !slices.Equal(gc.Dict, wc.Dict) || !slices.Equal(gc.Codes, wc.Codes) {
						t.Fatalf("column %q differs from the row-by-row transform", wc.Name)
					}
					if wc.index != nil && !maps.Equal(gc.index, wc.index) {
						t.Fatalf("column %q: index differs", wc.Name)
					}
				}
				var a, b bytes.Buffer
				if err := WriteTable(&a, want, FormatCSV, WriteOptions{}); err != nil {
					t.Fatal(err)
				}
				if err := WriteTable(&b, res.Table, FormatCSV, WriteOptions{}); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(a.Bytes(), b.Bytes()) {
					t.Fatal("the release's CSV differs from the row-by-row transform's")
				}
				if got, want := columnLoss(res, cfg), referenceColumnLoss(res, cfg); !maps.Equal(got, want) {
					t.Fatalf("column loss %v, want %v", got, want)
				}
			})
		}
	}
}

// suppressedRows finds the records Anonymize suppressed, from its
// release: every quasi-identifier "*" although the labels of the
// transformation would not all be "*".
func suppressedRows(t *testing.T, table *Table, res *Result, cfg Config, gens map[int]colGen) []bool {
	t.Helper()
	sup := make([]bool, table.Rows())
	if cfg.DropSuppressed {
		// the rows left out: matched by line number
		kept := map[int]bool{}
		for r := range res.Table.Rows() {
			kept[res.Table.Line(r)] = true
		}
		n := 0
		for r := range sup {
			if sup[r] = !kept[table.Line(r)]; sup[r] {
				n++
			}
		}
		if n != res.Suppressed {
			t.Fatalf("%d rows left out, %d suppressed", n, res.Suppressed)
		}
		return sup
	}
	n := 0
	for r := range sup {
		all, labelsAll := true, true
		for _, name := range cfg.QuasiIdentifiers {
			ci := table.ColumnIndex(name)
			if res.Table.Column(name).Value(r) != Suppressed {
				all = false
			}
			g := gens[ci]
			if g.labels[g.gen[table.Columns[ci].Codes[r]]] != Suppressed {
				labelsAll = false
			}
		}
		if sup[r] = all && !labelsAll; sup[r] {
			n++
		}
	}
	if n != res.Suppressed {
		t.Fatalf("%d rows found suppressed, %d reported", n, res.Suppressed)
	}
	return sup
}

// TestBuildBottomPar_SameClassesInTheSameOrderAsBuildBottom counts the
// bottom node of generated tables (one-word and two-word keys, with and
// without sensitive histograms) on all cores and on one, and compares the
// classes, their order, their counts and each row's class.
func TestBuildBottomPar_SameClassesInTheSameOrderAsBuildBottom(t *testing.T) {
	table := SynthesizeTable(bottomParMin+4321, 11)
	specs := map[string]string{"出生日期": "date", "行政区划": "division", "性别": "mask", "姓名": "mask", "职业": "mask", "诊断": "mask",
		"学历": "ordered:小学,初中,中专,高中,大专,本科,硕士,博士", "收入": "interval:5000,10000,50000"}
	for _, c := range []struct {
		name string
		qi   []string
		l    bool
	}{
		{"one word", []string{"性别", "行政区划", "学历"}, false},
		{"two words", []string{"姓名", "出生日期", "性别", "行政区划", "职业", "学历", "收入", "诊断"}, false},
		{"two words with sensitive values", []string{"姓名", "出生日期", "性别", "行政区划", "职业", "学历", "收入", "诊断"}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := Config{QuasiIdentifiers: c.qi, Hierarchies: map[string]*Hierarchy{}, Models: Models{K: 5}}
			if c.l {
				cfg.Sensitive, cfg.Models.L = []string{"手机号"}, &LDiversity{Kind: LDistinct, L: 2}
			}
			for _, col := range c.qi {
				h, err := ResolveHierarchy(table, col, specs[col])
				if err != nil {
					t.Fatal(err)
				}
				cfg.Hierarchies[col] = h
			}
			dims, sens, stride, err := prepare(table, cfg)
			if err != nil {
				t.Fatal(err)
			}
			lt := newLattice(dims)
			want := buildBottom(table, lt, sens, stride)
			got := buildBottomPar(table, lt, sens, stride)
			if lt.words == 1 && c.name != "one word" || lt.words > 1 && c.name == "one word" {
				t.Fatalf("keys of %d words: the case does not test what it says", lt.words)
			}
			if !slices.Equal(got.bottom.keys, want.bottom.keys) || !slices.Equal(got.bottom.counts, want.bottom.counts) {
				t.Fatalf("classes differ: %d classes, want %d", got.bottom.classes(), want.bottom.classes())
			}
			if !slices.Equal(got.rowClass, want.rowClass) {
				t.Fatal("rows' classes differ")
			}
			if (got.bottom.hist == nil) != (want.bottom.hist == nil) {
				t.Fatal("histograms differ")
			}
		})
	}
}
