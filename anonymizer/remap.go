package anonymizer

import "fmt"

// Remap returns the table whose row k is src's row order[k] with the value
// of column i replaced by dicts[i][code], code being that cell's code in
// src (dicts[i] is indexed like src.Columns[i].Dict; it may map two codes
// to one value). The result is the table AppendRow would build from those
// rows one by one — the same Dict order (first appearance) and Codes — but
// each column is built with one value lookup per distinct code instead of
// one per cell: the fingerprinting of a delivered copy (which rewrites a
// few columns' dictionaries and shuffles the rows) spent most of its time
// in those lookups. It returns an error when dicts does not match src's
// columns, when a column of src was skipped, or when order names a row
// src does not have. src is only read: Remap is safe for concurrent use
// with other readers of src.
func Remap(src *Table, dicts [][]string, order []int) (*Table, error) {
	if len(dicts) != len(src.Columns) {
		return nil, fmt.Errorf("%s: remap: %d dictionaries for %d columns", src.Source, len(dicts), len(src.Columns))
	}
	out, err := NewTable(src.Source, src.Header())
	if err != nil {
		return nil, err
	}
	for _, r := range order {
		if r < 0 || r >= src.rows {
			return nil, fmt.Errorf("%s: remap: row %d of %d", src.Source, r, src.rows)
		}
	}
	for i, sc := range src.Columns {
		if sc.skipped {
			return nil, fmt.Errorf("%s: remap: column %q was skipped when read", src.Source, sc.Name)
		}
		d := dicts[i]
		if len(d) < len(sc.Dict) {
			return nil, fmt.Errorf("%s: remap: column %q: %d values for %d codes", src.Source, sc.Name, len(d), len(sc.Dict))
		}
		oc := out.Columns[i]
		oc.ensureIndex()
		codes := make([]int32, len(order))
		seen := make([]int32, len(sc.Dict)) // src code → out code + 1 (0: not seen yet)
		for k, r := range order {
			c := sc.Codes[r]
			if o := seen[c]; o > 0 {
				codes[k] = o - 1
				continue
			}
			v := d[c]
			o, ok := oc.index[v]
			if !ok {
				o = int32(len(oc.Dict))
				oc.Dict = append(oc.Dict, v)
				oc.index[v] = o
			}
			seen[c] = o + 1
			codes[k] = o
		}
		oc.Codes = codes
	}
	out.rows = len(order)
	return out, nil
}
