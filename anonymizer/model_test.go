package anonymizer

import (
	"math"
	"strings"
	"testing"
)

func TestParseLDiversity(t *testing.T) {
	cases := []struct {
		in      string
		want    LDiversity
		wantErr string
	}{
		{in: "distinct:2", want: LDiversity{Kind: LDistinct, L: 2}},
		{in: "entropy:1.5", want: LDiversity{Kind: LEntropy, L: 1.5}},
		{in: "recursive:4,2", want: LDiversity{Kind: LRecursive, C: 4, L: 2}},
		{in: "distinct", wantErr: "want distinct:L"},
		{in: "distinct:1.5", wantErr: "whole number"},
		{in: "gini:2", wantErr: "unknown variant"},
		{in: "entropy:0.5", wantErr: "at least 1"},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			got, err := ParseLDiversity(c.in)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("error %v, want %q", err, c.wantErr)
				}
				return
			}
			if err != nil || got != c.want {
				t.Fatalf("got %+v, %v; want %+v", got, err, c.want)
			}
			if got.String() != c.in {
				t.Errorf("String() = %q, want %q", got.String(), c.in)
			}
		})
	}
}

// checkerFor builds a checker over one sensitive column with values a..e in
// the given overall distribution (counts).
func checkerFor(t *testing.T, m Models, overall map[string]int, h *Hierarchy) (*checker, *sensAttr) {
	t.Helper()
	tab := MustTable([]string{"s"})
	for _, v := range []string{"a", "b", "c", "d", "e"} {
		for i := 0; i < overall[v]; i++ {
			tab.AppendRow([]string{v}, 0)
		}
	}
	s, err := newSensAttr(tab, 0, h, m.TDistance)
	if err != nil {
		t.Fatal(err)
	}
	return newChecker(m, []*sensAttr{s}), s
}

func TestChecker_Models(t *testing.T) {
	overall := map[string]int{"a": 2, "b": 2, "c": 2, "d": 2, "e": 2}
	ld := func(s string) *LDiversity { l, _ := ParseLDiversity(s); return &l }
	cases := []struct {
		name   string
		models Models
		class  map[string]int32
		want   bool
	}{
		{"a class of k records satisfies k-anonymity", Models{K: 3}, map[string]int32{"a": 3}, true},
		{"a class of k-1 records violates k-anonymity", Models{K: 3}, map[string]int32{"a": 2}, false},
		{"two distinct values satisfy distinct 2-diversity", Models{L: ld("distinct:2")}, map[string]int32{"a": 5, "b": 1}, true},
		{"one value violates distinct 2-diversity (homogeneity)", Models{L: ld("distinct:2")}, map[string]int32{"a": 6}, false},
		{"a skewed class violates entropy 2-diversity", Models{L: ld("entropy:2")}, map[string]int32{"a": 5, "b": 1}, false},
		{"an even class satisfies entropy 2-diversity", Models{L: ld("entropy:2")}, map[string]int32{"a": 3, "b": 3}, true},
		{"r1 < c·(r2+r3) satisfies recursive (2,2)", Models{L: ld("recursive:2,2")}, map[string]int32{"a": 3, "b": 1, "c": 1}, true},
		{"r1 ≥ c·(r2+r3) violates recursive (2,2)", Models{L: ld("recursive:2,2")}, map[string]int32{"a": 4, "b": 1, "c": 1}, false},
		{"the table's own distribution is 0-close", Models{T: 0.01, TDistance: TEqual}, map[string]int32{"a": 1, "b": 1, "c": 1, "d": 1, "e": 1}, true},
		{"one value is 0.8 away under equal distance", Models{T: 0.79, TDistance: TEqual}, map[string]int32{"a": 4}, false},
		{"one value is within t=0.8 under equal distance", Models{T: 0.8, TDistance: TEqual}, map[string]int32{"a": 4}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ck, s := checkerFor(t, c.models, overall, nil)
			hist := make([]int32, s.m)
			var n int32
			for v, cnt := range c.class {
				for i, d := range []string{"a", "b", "c", "d", "e"} {
					if d == v {
						hist[i] = cnt
					}
				}
				n += cnt
			}
			keys, cnts := sparseOf(hist)
			if got := ck.ok(n, keys, cnts); got != c.want {
				t.Errorf("ok = %v, want %v", got, c.want)
			}
		})
	}
}

func TestChecker_OrderedAndHierarchicalDistances(t *testing.T) {
	overall := map[string]int{"a": 1, "b": 1, "c": 1, "d": 1, "e": 1}
	// Li et al.'s example shape: a class holding only the lowest value.
	ck, _ := checkerFor(t, Models{T: 1, TDistance: TOrdered}, overall, nil)
	lowest, one := sparseOf([]int32{1, 0, 0, 0, 0})
	got := ck.distance(0, 1, lowest, one)
	// cumulative differences 0.8, 0.6, 0.4, 0.2 over m-1 = 4
	if want := (0.8 + 0.6 + 0.4 + 0.2) / 4; math.Abs(got-want) > 1e-12 {
		t.Errorf("ordered distance %v, want %v", got, want)
	}
	h, _ := NewHierarchy("s", [][]string{{"a", "ab", "*"}, {"b", "ab", "*"}, {"c", "cde", "*"}, {"d", "cde", "*"}, {"e", "cde", "*"}})
	ck, _ = checkerFor(t, Models{T: 1, TDistance: THierarchical}, overall, h)
	// class {a}: within "ab" 0.2 moves from b's share at cost 1/2; 0.6 moves across the root at cost 1.
	if got, want := ck.distance(0, 1, lowest, one), 0.2*0.5+0.6*1; math.Abs(got-want) > 1e-12 {
		t.Errorf("hierarchical distance %v, want %v", got, want)
	}
}

// sparseOf lists the values present in a dense histogram and their counts.
func sparseOf(hist []int32) (keys, cnts []int32) {
	for k, c := range hist {
		if c > 0 {
			keys, cnts = append(keys, int32(k)), append(cnts, c)
		}
	}
	return keys, cnts
}
