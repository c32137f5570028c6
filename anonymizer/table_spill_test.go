package anonymizer

import (
	"crypto/sha256"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A run whose codes are spilled to memory-mapped files, their pages given
// back to the kernel all the while, and whose identifier column is streamed
// again into the spill to be pseudonymized there, finds the same optimum
// and writes the same release, byte for byte, as the run in memory (issue
// 19 item 4).
func TestSpill_TheReleaseIsTheSameByteForByteAsInMemory(t *testing.T) {
	t.Parallel()
	in := filepath.Join(t.TempDir(), "pop.csv")
	if err := SynthesizeFile(in, 4000, 7, FormatCSV); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name   string
		models Models
		qi     []string
		sens   []string
		drop   bool
	}{
		{"k-anonymity over eight quasi-identifiers", Models{K: 5, Suppression: 0.05},
			[]string{"姓名", "出生日期", "性别", "行政区划", "职业", "学历", "收入", "诊断"}, nil, false},
		{"distinct 2-diversity on income and diagnosis", Models{K: 20, L: &LDiversity{Kind: LDistinct, L: 2}, Suppression: 0.05},
			[]string{"出生日期", "性别", "行政区划", "职业", "学历"}, []string{"收入", "诊断"}, false},
		{"suppressed records left out of the release", Models{K: 10, Suppression: 0.1},
			[]string{"出生日期", "性别", "行政区划", "职业"}, nil, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			run := func(spill *Spill) (release []byte, levels []int) {
				skip := []string{"身份证号"}
				if spill != nil { // the identifier to pseudonymize is streamed again into the spill
					skip = append(skip, "手机号")
				}
				tab, _, err := ReadFile(in, ReadOptions{Skip: skip})
				if err != nil {
					t.Fatal(err)
				}
				if spill != nil {
					if err := spill.Column(tab, in, 0, "手机号"); err != nil {
						t.Fatal(err)
					}
					tab.CompactLines()
					if tab.Lines != nil {
						t.Fatal("CompactLines kept the line numbers of a table of one line a row")
					}
					if err := spill.Table(tab); err != nil {
						t.Fatal(err)
					}
					done := make(chan struct{})
					defer close(done)
					go func() { // trim while the search and the release use the codes
						for {
							select {
							case <-done:
								return
							case <-time.After(time.Millisecond):
								spill.Trim()
							}
						}
					}()
				}
				cfg := Config{QuasiIdentifiers: tt.qi, Sensitive: tt.sens,
					Drop: []string{"身份证号"}, Pseudonymize: []string{"手机号"}, PseudonymKey: []byte("0123456789abcdef0123"),
					Hierarchies: popHierarchies(t, tab), Models: tt.models, DropSuppressed: tt.drop}
				out, res := releaseCSV(t, tab, cfg)
				return out, res.Levels
			}
			want, wantLevels := run(nil)
			spill := NewSpill(t.TempDir())
			got, gotLevels := run(spill)
			if spill.Bytes() == 0 {
				t.Fatal("nothing was spilled")
			}
			if err := spill.Close(); err != nil {
				t.Fatal(err)
			}
			if sha256.Sum256(got) != sha256.Sum256(want) {
				t.Errorf("spilled release (levels %v, %d bytes) differs from the in-memory release (levels %v, %d bytes)", gotLevels, len(got), wantLevels, len(want))
			}
		})
	}
}

// A spilled table's files are gone from their directory as soon as they
// are mapped, and Line still names each row's source line once the
// per-row numbers are compacted.
func TestSpill_LeavesNoFilesAndKeepsLineNumbers(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	in := filepath.Join(dir, "pop.csv")
	if err := SynthesizeFile(in, 100, 1, FormatCSV); err != nil {
		t.Fatal(err)
	}
	tab, _, err := ReadFile(in, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tab.CompactLines()
	spillDir := t.TempDir()
	s := NewSpill(spillDir)
	defer s.Close()
	if err := s.Table(tab); err != nil {
		t.Fatal(err)
	}
	if got, want := s.Bytes(), int64(4*100*len(tab.Columns)); got != want {
		t.Errorf("spilled %d bytes, want %d", got, want)
	}
	if ents, _ := filepath.Glob(filepath.Join(spillDir, "*")); len(ents) != 0 {
		t.Errorf("spill left files %v", ents)
	}
	if got, want := tab.Line(0), 2; got != want {
		t.Errorf("Line(0) = %d, want %d", got, want)
	}
	if got, want := tab.Line(99), 101; got != want {
		t.Errorf("Line(99) = %d, want %d", got, want)
	}
	if err := tab.AppendRow(tab.Row(0), 500); err != nil {
		t.Fatal(err)
	}
	if got, want := tab.Line(50), 52; got != want {
		t.Errorf("after an append, Line(50) = %d, want %d", got, want)
	}
	if got, want := tab.Line(100), 500; got != want {
		t.Errorf("the appended row's line = %d, want %d", got, want)
	}
}

// A header whose names the reader trims (spaces after the commas, a BOM)
// is the table's header for the spill too: the identifier streamed again
// is the column the in-memory run pseudonymizes.
func TestSpill_ColumnUnderAHeaderWithSpaces(t *testing.T) {
	in := filepath.Join(t.TempDir(), "spaced.csv")
	if err := os.WriteFile(in, []byte("\ufeffid, phone ,city\n1,13800000001,xa\n2,13800000002,xa\n3,13800000001,bj\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tab, _, err := ReadFile(in, ReadOptions{Skip: []string{"phone"}})
	if err != nil {
		t.Fatal(err)
	}
	spill := NewSpill(t.TempDir())
	defer spill.Close()
	if err := spill.Column(tab, in, 0, "phone"); err != nil {
		t.Fatalf("spilling the column under a header with spaces: %v", err)
	}
	c := tab.Columns[1]
	if got := []string{c.Dict[c.Codes[0]], c.Dict[c.Codes[1]], c.Dict[c.Codes[2]]}; got[0] != "13800000001" || got[1] != "13800000002" || got[2] != "13800000001" {
		t.Errorf("spilled values %q, want the phone column's", got)
	}
}

// The identifier column is streamed again in blocks parsed on all cores:
// across many blocks, with values that barely repeat (the parser's direct
// mode) and values that do, quoted values holding the delimiter, quotes
// and line breaks, blank lines and CRLF endings, every row gets its own
// value, in order, exactly as encoding/csv reads the file.
func TestSpill_ColumnInBlocksIsEncodingCSVsColumn(t *testing.T) {
	defer func(n int) { spillColumnBlock = n }(spillColumnBlock)
	spillColumnBlock = 4 << 10
	var b strings.Builder
	b.WriteString("id,phone,city\r\n")
	for i := range 20000 {
		phone := fmt.Sprintf("138%08d", i)
		switch {
		case i%997 == 0:
			phone = fmt.Sprintf("\"13,8\"\"%d\"\"\n%d\"", i, i)
		case i >= 10000 && i < 12000:
			phone = fmt.Sprint(i % 7) // repeats: numbered, not direct
		}
		if i%1500 == 0 {
			b.WriteString("\r\n")
		}
		fmt.Fprintf(&b, "%d,%s,c%d\r\n", i, phone, i%3)
	}
	in := filepath.Join(t.TempDir(), "blocks.csv")
	if err := os.WriteFile(in, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	want, err := csv.NewReader(strings.NewReader(b.String())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	tab, _, err := ReadFile(in, ReadOptions{Skip: []string{"phone"}})
	if err != nil {
		t.Fatal(err)
	}
	spill := NewSpill(t.TempDir())
	defer spill.Close()
	if err := spill.Column(tab, in, 0, "phone"); err != nil {
		t.Fatal(err)
	}
	c := tab.Columns[1]
	if len(c.Codes) != len(want)-1 {
		t.Fatalf("%d rows, want %d", len(c.Codes), len(want)-1)
	}
	for r, rec := range want[1:] {
		if got := c.Dict[c.Codes[r]]; got != rec[1] {
			t.Fatalf("row %d: %q, want %q", r, got, rec[1])
		}
	}
}

// A file that changed since the table was read is refused, the line named
// by encoding/csv where the blocks cannot say it.
func TestSpill_ColumnRefusesAFileThatChanged(t *testing.T) {
	defer func(n int) { spillColumnBlock = n }(spillColumnBlock)
	spillColumnBlock = 4 << 10
	var b strings.Builder
	b.WriteString("id,phone\n")
	for i := range 3000 {
		fmt.Fprintf(&b, "%d,138%08d\n", i, i)
	}
	in := filepath.Join(t.TempDir(), "changed.csv")
	if err := os.WriteFile(in, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, text, want string }{
		{"a row more", b.String() + "3000,13800003000\n", "more rows than the table's 3000"},
		{"a row less", strings.TrimSuffix(b.String(), "2999,13800002999\n"), "2999 rows, the table has 3000"},
		{"not UTF-8", strings.Replace(b.String(), "2500,13800002500", "2500,138\xff", 1), "line 2502: column \"phone\": not UTF-8"},
		{"ragged", strings.Replace(b.String(), "2500,13800002500", "2500,1,2", 1), "line 2502"},
		{"another header", strings.Replace(b.String(), "id,phone", "id,mobile", 1), "the header is not the table's"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := os.WriteFile(in, []byte(b.String()), 0o600); err != nil {
				t.Fatal(err)
			}
			tab, _, err := ReadFile(in, ReadOptions{Skip: []string{"phone"}})
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(in, []byte(tc.text), 0o600); err != nil {
				t.Fatal(err)
			}
			spill := NewSpill(t.TempDir())
			defer spill.Close()
			err = spill.Column(tab, in, 0, "phone")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one saying %q", err, tc.want)
			}
		})
	}
}
