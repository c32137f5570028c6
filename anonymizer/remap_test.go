package anonymizer

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestRemap_buildsTheTableAppendRowBuilds: the remapped table has the same
// Dict (first-appearance order), Codes and rows as the table built by
// AppendRow from the remapped rows, with two codes mapped to one value,
// a shuffled order and a repeated row.
func TestRemap_buildsTheTableAppendRowBuilds(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	header := []string{"a", "b", "c"}
	var rows [][]string
	for r := range 500 {
		rows = append(rows, []string{fmt.Sprint(rng.IntN(7)), fmt.Sprint(r), fmt.Sprint(rng.IntN(3))})
	}
	src := MustTable(header, rows...)
	dicts := make([][]string, len(src.Columns))
	for i, c := range src.Columns {
		dicts[i] = slices.Clone(c.Dict)
	}
	for j := range dicts[0] {
		dicts[0][j] = "x" + fmt.Sprint(j%3) // several codes, one value
	}
	order := rng.Perm(src.Rows())
	order = append(order, order[0])
	got, err := Remap(src, dicts, order)
	if err != nil {
		t.Fatal(err)
	}
	want, err := NewTable(src.Source, header)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range order {
		row := make([]string, len(header))
		for i, c := range src.Columns {
			row[i] = dicts[i][c.Codes[r]]
		}
		if err := want.AppendRow(row, 0); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := got.Rows(), want.Rows(); got != want {
		t.Fatalf("rows: got %d, want %d", got, want)
	}
	for i := range header {
		g, w := got.Columns[i], want.Columns[i]
		if !slices.Equal(g.Dict, w.Dict) || !slices.Equal(g.Codes, w.Codes) {
			t.Errorf("column %q: got dict %v codes %v…, want %v %v…", header[i], g.Dict, g.Codes[:5], w.Dict, w.Codes[:5])
		}
		if code, ok := g.Code(w.Dict[0]); !ok || code != 0 {
			t.Errorf("column %q: Code(%q) = %d, %v; want 0, true", header[i], w.Dict[0], code, ok)
		}
	}
}

// TestRemap_refusesWhatDoesNotMatch: a row out of range or too few
// dictionaries is an error, not a panic.
func TestRemap_refusesWhatDoesNotMatch(t *testing.T) {
	src := MustTable([]string{"a"}, []string{"1"}, []string{"2"})
	if _, err := Remap(src, [][]string{src.Columns[0].Dict}, []int{0, 2}); err == nil {
		t.Error("row 2 of 2: no error")
	}
	if _, err := Remap(src, nil, []int{0}); err == nil {
		t.Error("no dictionaries: no error")
	}
	if _, err := Remap(src, [][]string{{"x"}}, []int{0}); err == nil {
		t.Error("one value for two codes: no error")
	}
}
