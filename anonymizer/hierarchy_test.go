package anonymizer

import (
	"strings"
	"testing"
)

func TestParseHierarchy(t *testing.T) {
	cases := []struct {
		name, in, wantErr string
		value             string
		level             int
		want              string
	}{
		{name: "ARX rows with CRLF and a BOM are read", in: "\ufeff1;0-4;*\r\n2;0-4;*\r\n", value: "2", level: 1, want: "0-4"},
		{name: "a file without final newline is read", in: "a;x;*\nb;x;*", value: "b", level: 2, want: "*"},
		{name: "ragged rows name the line", in: "a;x;*\nb;*\n", wantErr: "h.csv: line 2: 2 levels, want 3"},
		{name: "a repeated value names both lines", in: "a;*\na;*\n", wantErr: "h.csv: line 2: column 1: value \"a\" repeats line 1"},
		{name: "an empty file is refused", in: "\n", wantErr: "h.csv: line 1: hierarchy has no rows"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h, err := ParseHierarchy("h.csv", strings.NewReader(c.in))
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("error %v, want %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got, ok := h.Generalize(c.value, c.level); !ok || got != c.want {
				t.Errorf("Generalize(%q, %d) = %q, %v; want %q", c.value, c.level, got, ok, c.want)
			}
		})
	}
}

func TestGenerateHierarchy(t *testing.T) {
	cases := []struct {
		name, spec string
		values     []string
		value      string
		want       []string // levels 0..top
		wantErr    string
	}{
		{name: "intervals nest 5, 10, 20-year bands", spec: "interval:5,10,20", values: []string{"37", "18"}, value: "37",
			want: []string{"37", "35-39", "30-39", "20-39", "*"}},
		{name: "fractional intervals are half-open", spec: "interval:0.5", values: []string{"1.2"}, value: "1.2",
			want: []string{"1.2", "[1, 1.5)", "*"}},
		{name: "intervals that do not nest are refused", spec: "interval:5,7", values: []string{"1"}, wantErr: "not a multiple"},
		{name: "a non-number in an interval column is named", spec: "interval:5", values: []string{"abc"}, wantErr: `value "abc" is not a number`},
		{name: "dates go day, month, quarter, year", spec: "date", values: []string{"2023-11-05"}, value: "2023-11-05",
			want: []string{"2023-11-05", "2023-11", "2023-Q4", "2023", "*"}},
		{name: "masking replaces characters from the right", spec: "mask:3", values: []string{"710061", "7100"}, value: "710061",
			want: []string{"710061", "71006*", "7100**", "*"}},
		{name: "GB/T 2260 divisions go county, prefecture, province", spec: "division", values: []string{"610113"}, value: "610113",
			want: []string{"610113", "610100", "610000", "*"}},
		{name: "a division code that is not six digits is named", spec: "division", values: []string{"61011"}, wantErr: `"61011" is not a six-digit`},
		{name: "ordered categories merge pairwise", spec: "ordered:小学,初中,高中,本科,硕士", values: []string{"高中"}, value: "高中",
			want: []string{"高中", "高中-本科", "小学-本科", "*"}},
		{name: "a value outside the ordered categories is named", spec: "ordered:a,b", values: []string{"c"}, wantErr: `"c" is not one of`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h, err := GenerateHierarchy(c.spec, c.values)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("error %v, want %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if h.Height() != len(c.want)-1 {
				t.Fatalf("height %d, want %d", h.Height(), len(c.want)-1)
			}
			for l, w := range c.want {
				if got, _ := h.Generalize(c.value, l); got != w {
					t.Errorf("level %d: %q, want %q", l, got, w)
				}
			}
		})
	}
}

func TestEncodeDim_MissingValueNamesFileLineAndColumn(t *testing.T) {
	tab := MustTable([]string{"age"}, []string{"30"}, []string{"31"})
	tab.Source, tab.Lines = "in.csv", []int{2, 3}
	h, _ := NewHierarchy("age.csv", [][]string{{"30", "*"}})
	_, err := encodeDim(tab, 0, h)
	if err == nil || !strings.Contains(err.Error(), `in.csv: line 3: column "age": value "31" is missing from hierarchy age.csv`) {
		t.Fatalf("error %v", err)
	}
}

func TestEncodeDim_RefusesALevelThatDoesNotDetermineTheNext(t *testing.T) {
	tab := MustTable([]string{"x"}, []string{"a"}, []string{"b"})
	h, _ := NewHierarchy("x.csv", [][]string{{"a", "g", "p"}, {"b", "g", "q"}})
	if _, err := encodeDim(tab, 0, h); err == nil || !strings.Contains(err.Error(), "generalizes to both") {
		t.Fatalf("error %v, want a non-functional hierarchy refused", err)
	}
}
