package anonymizer

import "fmt"

// ResolveHierarchy returns the hierarchy spec names for column col of t:
// a built-in generator (see GenerateHierarchy), built over the column's
// distinct values, or else an ARX hierarchy file. Errors name the file or
// generator, and the column.
func ResolveHierarchy(t *Table, col, spec string) (*Hierarchy, error) {
	c := t.Column(col)
	if c == nil {
		return nil, fmt.Errorf("%s: line 1: column %q: no such column (named by a hierarchy)", t.Source, col)
	}
	if IsGeneratorSpec(spec) {
		h, err := GenerateHierarchy(spec, c.Dict)
		if err != nil {
			return nil, fmt.Errorf("%s: column %q: %w", t.Source, col, err)
		}
		return h, nil
	}
	h, err := LoadHierarchy(spec)
	if err != nil {
		return nil, fmt.Errorf("column %q: %w", col, err)
	}
	return h, nil
}
