package anonymizer

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// A skipped column is read (its fields counted and decoded) without its
// values; everything else reads as without Skip, in every format.
func TestReadOptionsSkip_DroppedColumnIsCheckedButNotHeld(t *testing.T) {
	src := MustTable([]string{"身份证号", "年龄", "城市"},
		[]string{"110101199003074514", "34", "北京"},
		[]string{"120101198511110016", "28", "天津"},
		[]string{"610102197001011234", "45", "西安"},
	)
	for _, f := range []Format{FormatCSV, FormatTSV, FormatJSONL, FormatXLSX} {
		t.Run(string(f), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "in."+string(f))
			if err := WriteFileAtomic(path, src, f, WriteOptions{}); err != nil {
				t.Fatal(err)
			}
			got, _, err := ReadFile(path, ReadOptions{Skip: []string{"身份证号", "not a column"}})
			if err != nil {
				t.Fatal(err)
			}
			id := got.Column("身份证号")
			if id == nil || !id.Skipped() || id.Dict != nil || id.Codes != nil || id.Value(1) != "" {
				t.Fatalf("skipped column %+v: want a name and no values", id)
			}
			if got.Rows() != 3 || got.Value(2, 1) != "45" || got.Value(2, 2) != "西安" || got.Column("城市").Skipped() {
				t.Fatalf("other columns: rows %d, row 3 %q", got.Rows(), got.Row(2))
			}
		})
	}
	t.Run("undecodable bytes in a skipped column are still refused", func(t *testing.T) {
		_, _, err := ReadTable(strings.NewReader("id,b\n1,x\n\xff\xfe,y\n"), "bad.csv", ReadOptions{Skip: []string{"id"}})
		if err == nil || !strings.Contains(err.Error(), `bad.csv: line 3: column 1 ("id"): undecodable bytes`) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("a ragged row is still refused", func(t *testing.T) {
		_, _, err := ReadTable(strings.NewReader("id,b\n1,x\n2\n"), "r.csv", ReadOptions{Skip: []string{"b"}})
		if err == nil || !strings.Contains(err.Error(), `r.csv: line 3: column 2 ("b"): missing`) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("Anonymize refuses to release a skipped column it was not told to drop", func(t *testing.T) {
		tb, _, err := ReadTable(strings.NewReader("id,age\n1,30\n2,31\n"), "s.csv", ReadOptions{Skip: []string{"id"}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = Anonymize(context.Background(), tb, Config{QuasiIdentifiers: []string{"age"}, Models: Models{K: 2}})
		if err == nil || !strings.Contains(err.Error(), `column "id": read without its values`) {
			t.Fatalf("got %v", err)
		}
		res, err := Anonymize(context.Background(), tb, Config{QuasiIdentifiers: []string{"age"}, Drop: []string{"id"}, Models: Models{K: 2}})
		if err != nil || res.Table.Column("id") != nil || res.Table.Rows() != 2 {
			t.Fatalf("dropping it: %v, %+v", err, res)
		}
	})
}

// Skipping the dropped column changes nothing in the release.
func TestReadOptionsSkip_SameReleaseAsReadingEverything(t *testing.T) {
	var b strings.Builder
	if err := Synthesize(&b, 3000, 11, FormatCSV); err != nil {
		t.Fatal(err)
	}
	cfg := func() Config {
		return Config{QuasiIdentifiers: []string{"性别", "出生日期", "行政区划"}, Drop: []string{"身份证号", "姓名"},
			Pseudonymize: []string{"手机号"}, PseudonymKey: []byte("k"), Models: Models{K: 5, Suppression: 0.05}}
	}
	release := func(skip []string) string {
		tb, _, err := ReadTable(strings.NewReader(b.String()), "pop.csv", ReadOptions{Skip: skip})
		if err != nil {
			t.Fatal(err)
		}
		c := cfg()
		c.Hierarchies = map[string]*Hierarchy{}
		for col, spec := range map[string]string{"出生日期": "date", "行政区划": "division", "性别": "mask"} {
			if c.Hierarchies[col], err = ResolveHierarchy(tb, col, spec); err != nil {
				t.Fatal(err)
			}
		}
		out, _ := releaseCSV(t, tb, c)
		return string(out)
	}
	all, skipped := release(nil), release([]string{"身份证号", "姓名"})
	if all != skipped {
		t.Fatalf("the release differs when the dropped columns are skipped:\n%.300s\nvs\n%.300s", all, skipped)
	}
}

// A large column gives up its index once read; Code rebuilds it, and
// appending afterwards still finds existing values.
func TestColumnIndex_DroppedAfterReadAndRebuiltOnUse(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,g\n")
	n := dropIndexAbove + 10
	for i := range n {
		fmt.Fprintf(&b, "v%d,%d\n", i, i%3)
	}
	tb, _, err := ReadTable(strings.NewReader(b.String()), "big.csv", ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	id, g := tb.Column("id"), tb.Column("g")
	if id.index != nil || g.index == nil {
		t.Fatalf("after reading: id index kept %v, g index kept %v; want only g's", id.index != nil, g.index != nil)
	}
	if code, ok := id.Code("v12345"); !ok || id.Dict[code] != "v12345" {
		t.Fatalf("Code after the index was dropped: %d %v", code, ok)
	}
	if err := tb.AppendRow([]string{"v7", "1"}, 0); err != nil {
		t.Fatal(err)
	}
	if len(id.Dict) != n || id.Codes[n] != id.Codes[7] {
		t.Fatalf("appending an existing value after the rebuild added it again: dict %d, codes %d vs %d", len(id.Dict), id.Codes[n], id.Codes[7])
	}
}
