package anonymizer

import (
	"context"
	"strings"
	"testing"
)

func TestAnonymize_ColumnRoles(t *testing.T) {
	tab := MustTable([]string{"id", "phone", "age", "diagnosis", "city"},
		[]string{"A1", "13800138000", "31", "flu", "西安"},
		[]string{"A2", "13900139000", "33", "flu", "西安"},
		[]string{"A3", "13700137000", "47", "cold", "天津"},
		[]string{"A4", "13600136000", "45", "cold", "天津"},
		[]string{"A5", "13500135000", "90", "flu", "天津"},
	)
	h, _ := GenerateHierarchy("interval:10,20", tab.Column("age").Dict)
	key := []byte("0123456789abcdef")
	res, err := Anonymize(context.Background(), tab, Config{
		QuasiIdentifiers: []string{"age"}, Drop: []string{"id"}, Pseudonymize: []string{"phone"}, PseudonymKey: key,
		Hierarchies: map[string]*Hierarchy{"age": h}, Models: Models{K: 2, Suppression: 0.2},
	})
	if err != nil {
		t.Fatal(err)
	}
	out := res.Table
	if got, want := strings.Join(out.Header(), ","), "phone,age,diagnosis,city"; got != want {
		t.Errorf("header %s, want %s (identifying column dropped)", got, want)
	}
	for r := 0; r < out.Rows(); r++ {
		if got, want := out.Value(r, 0), Pseudonym(key, tab.Value(r, 1)); got != want || strings.Contains(got, "138") {
			t.Errorf("row %d phone %q, want the keyed pseudonym %q", r, got, want)
		}
		if out.Value(r, 3) != tab.Value(r, 4) {
			t.Errorf("row %d: insensitive column changed", r)
		}
	}
	if got := out.Value(4, 1); got != Suppressed || res.Suppressed != 1 {
		t.Errorf("the lone 90-year-old: age %q, %d suppressed; want * and 1", got, res.Suppressed)
	}
	if got := out.Value(0, 1); got != "30-39" {
		t.Errorf("age of row 0 = %q, want 30-39", got)
	}
	if Pseudonym([]byte("another key 1234"), "13800138000") == Pseudonym(key, "13800138000") {
		t.Error("pseudonyms under different keys agree")
	}
}

func TestAnonymize_DropSuppressedLeavesSuppressedRowsOut(t *testing.T) {
	tab := MustTable([]string{"age"}, []string{"30"}, []string{"31"}, []string{"70"})
	h, _ := GenerateHierarchy("interval:10", tab.Column("age").Dict)
	res, err := Anonymize(context.Background(), tab, Config{QuasiIdentifiers: []string{"age"}, Hierarchies: map[string]*Hierarchy{"age": h},
		Models: Models{K: 2, Suppression: 0.34}, DropSuppressed: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.RowsIn != 3 || res.RowsOut != 2 || res.Suppressed != 1 {
		t.Errorf("rows in %d, out %d, suppressed %d; want 3, 2, 1", res.RowsIn, res.RowsOut, res.Suppressed)
	}
}

func TestAnonymize_RefusesBadConfigurations(t *testing.T) {
	tab := MustTable([]string{"age", "d"}, []string{"30", "x"})
	tab.Source = "in.csv"
	cases := []struct {
		name    string
		cfg     Config
		wantErr string
	}{
		{"an unknown column is named", Config{QuasiIdentifiers: []string{"agee"}}, `in.csv: line 1: column "agee": no such column`},
		{"a column with two roles is named", Config{QuasiIdentifiers: []string{"age"}, Drop: []string{"age"}}, `named both quasi-identifier and dropped`},
		{"l-diversity without a sensitive column is refused", Config{QuasiIdentifiers: []string{"age"}, Models: Models{L: &LDiversity{Kind: LDistinct, L: 2}}}, "need a sensitive column"},
		{"a suppression limit above 1 is refused", Config{QuasiIdentifiers: []string{"age"}, Models: Models{Suppression: 1.5}}, "suppression 1.5"},
		{"an unknown metric is refused", Config{QuasiIdentifiers: []string{"age"}, Metric: "utility"}, `metric "utility"`},
		{"k larger than the table has no solution", Config{QuasiIdentifiers: []string{"age"}, Models: Models{K: 2}}, ErrNoSolution.Error()},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Anonymize(context.Background(), tab, c.cfg)
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Fatalf("error %v, want %q", err, c.wantErr)
			}
		})
	}
}
