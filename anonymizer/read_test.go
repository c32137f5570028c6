package anonymizer

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func TestReadFile_ReadsEveryFormatAndDialect(t *testing.T) {
	tests := []struct {
		name     string
		file     string
		format   Format
		header   []string
		rows     [][]string
		lines    []int
		wantFmt  Format
		readOpts ReadOptions
	}{
		{
			name: "a CRLF comma file with quoted commas, line breaks and quotes",
			file: "people_crlf.csv", wantFmt: FormatCSV,
			header: []string{"姓名", "年龄", "备注"},
			rows:   [][]string{{"张三", "34", "住址：北京市, 朝阳区"}, {"李四", "28", "多行\n备注"}, {"王五", "45", `他说"你好"`}},
			lines:  []int{2, 3, 5},
		},
		{
			name: "a UTF-8 file with a BOM and semicolons is sniffed",
			file: "people_bom_semicolon.csv", wantFmt: FormatCSV,
			header: []string{"姓名", "年龄", "备注"},
			rows:   [][]string{{"张三", "34", "a|b"}, {"李四", "28", "c,d"}},
			lines:  []int{2, 3},
		},
		{
			name: "a TSV file is split on tabs",
			file: "people.tsv", wantFmt: FormatTSV,
			header: []string{"姓名", "年龄", "备注"},
			rows:   [][]string{{"张三", "34", "x"}, {"李四", "28", "y"}},
			lines:  []int{2, 3},
		},
		{
			name: "a pipe-separated file is sniffed",
			file: "pipes.txt", wantFmt: FormatCSV,
			header: []string{"name", "age"},
			rows:   [][]string{{"Ann", "34"}, {"Bob", "28"}},
			lines:  []int{2, 3},
		},
		{
			name: "JSON Lines keys form the header in first-seen order, missing keys read empty",
			file: "people.jsonl", wantFmt: FormatJSONL,
			header: []string{"姓名", "年龄", "城市"},
			rows:   [][]string{{"张三", "34", ""}, {"李四", "28", "天津"}},
			lines:  []int{1, 3},
		},
		{
			name: "a given delimiter overrides sniffing",
			file: "pipes.txt", wantFmt: FormatCSV, readOpts: ReadOptions{Delimiter: ','},
			header: []string{"name|age"},
			rows:   [][]string{{"Ann|34"}, {"Bob|28"}},
			lines:  []int{2, 3},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, f, err := ReadFile(filepath.Join("testdata", "formats", tt.file), tt.readOpts)
			if err != nil {
				t.Fatal(err)
			}
			if f != tt.wantFmt {
				t.Errorf("format = %q, want %q", f, tt.wantFmt)
			}
			assertTableRows(t, tab, tt.header, tt.rows)
			if got := tableLines(tab); !reflect.DeepEqual(got, tt.lines) {
				t.Errorf("lines = %v, want %v", got, tt.lines)
			}
		})
	}
}

func TestReadTable_DetectsGBKAndWritesUTF8(t *testing.T) {
	utf := "姓名,行政区划,诊断\n张伟,110105,高血压\n王芳,440305,糖尿病\n"
	for _, enc := range []struct {
		name string
		enc  func(string) (string, error)
	}{
		{"GBK", simplifiedchinese.GBK.NewEncoder().String},
		{"GB18030", simplifiedchinese.GB18030.NewEncoder().String},
	} {
		t.Run("a "+enc.name+" file is decoded and written back as UTF-8", func(t *testing.T) {
			gbk, err := enc.enc(utf)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			in := filepath.Join(dir, "gbk.csv")
			if err := os.WriteFile(in, []byte(gbk), 0o644); err != nil {
				t.Fatal(err)
			}
			tab, _, err := ReadFile(in, ReadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			assertTableRows(t, tab, []string{"姓名", "行政区划", "诊断"}, [][]string{{"张伟", "110105", "高血压"}, {"王芳", "440305", "糖尿病"}})
			var out bytes.Buffer
			if err := WriteTable(&out, tab, FormatCSV, WriteOptions{}); err != nil {
				t.Fatal(err)
			}
			if got := out.String(); got != utf {
				t.Errorf("written = %q, want %q", got, utf)
			}
		})
	}
}

func TestReadTable_BadInputIsOneLineNamingFileLineAndColumn(t *testing.T) {
	tests := []struct {
		name  string
		input string
		file  string
		want  []string
	}{
		{"a ragged row names its line and field counts", "", "testdata/formats/ragged.csv",
			[]string{`ragged.csv: line 4: column 3 ("c"): missing: 2 fields, want 3`}},
		{"a row with a field beyond the header names the extra column", "a,b\n1,2\n3,4,5\n", "extra.csv",
			[]string{"extra.csv: line 3: column 3: a field beyond the header: 3 fields, want 2"}},
		{"bytes that are neither UTF-8 nor GB18030 are refused", "a,b\n1,\xff\xfe\n", "bad.csv",
			[]string{`bad.csv: line 2: column 2 ("b"): undecodable bytes`}},
		{"an unterminated quote names where it starts", "a,b\n1,\"x\n", "q.csv",
			[]string{"q.csv: line 2: column", "missing \" in quoted-field"}},
		{"a nested JSON value is refused", "", "testdata/formats/nested.jsonl",
			[]string{"nested.jsonl: line 2: column", `"a"`, "want a string or number"}},
		{"malformed JSON names line and column", "", "testdata/formats/badjson.jsonl",
			[]string{"badjson.jsonl: line 2: column", "invalid JSON"}},
		{"an empty file has no header", "", "empty.csv", []string{"empty.csv: line 1: empty input"}},
		{"a repeated column name is refused", "a,a\n1,2\n", "dup.csv", []string{"dup.csv: line 1", "repeated column name"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if strings.HasPrefix(tt.file, "testdata") {
				_, _, err = ReadFile(tt.file, ReadOptions{})
			} else {
				_, _, err = ReadTable(strings.NewReader(tt.input), tt.file, ReadOptions{})
			}
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if strings.Contains(msg, "\n") {
				t.Errorf("error spans lines: %q", msg)
			}
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not contain %q", msg, w)
				}
			}
		})
	}
}

func TestWriteTable_RoundTripsEveryFormat(t *testing.T) {
	src := MustTable([]string{"姓名", "备注", "n"},
		[]string{"张三", "含,逗号 与 \"引号\"\n和换行", "1"},
		[]string{"李四", " 前导空格", "2"},
		[]string{"王五", "", "3"},
		[]string{"赵六", "tab\there", "4"},
	)
	for _, f := range []Format{FormatCSV, FormatTSV, FormatJSONL, FormatXLSX} {
		t.Run(string(f)+" output reads back as the same table", func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "out."+string(f))
			if err := WriteFileAtomic(path, src, f, WriteOptions{Sheet: "数据"}); err != nil {
				t.Fatal(err)
			}
			got, gotF, err := ReadFile(path, ReadOptions{Sheet: sheetFor(f)})
			if err != nil {
				t.Fatal(err)
			}
			if gotF != f {
				t.Errorf("format = %q, want %q", gotF, f)
			}
			var rows [][]string
			for r := 0; r < src.Rows(); r++ {
				rows = append(rows, src.Row(r))
			}
			assertTableRows(t, got, src.Header(), rows)
		})
	}
}

func sheetFor(f Format) string {
	if f == FormatXLSX {
		return "数据"
	}
	return ""
}

func TestReadFile_UnknownSheetIsNamed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "book.xlsx")
	if err := WriteFileAtomic(path, MustTable([]string{"a"}, []string{"1"}), FormatXLSX, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	_, _, err := ReadFile(path, ReadOptions{Sheet: "Nope"})
	if err == nil || !strings.Contains(err.Error(), `book.xlsx: sheet "Nope": no such sheet (sheets: Sheet1)`) {
		t.Fatalf("err = %v, want the unknown sheet named", err)
	}
}

func TestWriteFileAtomic_FailureLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	if err := os.WriteFile(path, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	big := MustTable([]string{"a"})
	for i := 0; i < xlsxMaxRows; i++ {
		big.AppendRow([]string{"x"}, 0)
	}
	if err := WriteFileAtomic(path, big, FormatXLSX, WriteOptions{}); err == nil {
		t.Fatal("writing more rows than a worksheet holds did not fail")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries after a failed write, want only the old file", len(entries))
	}
	if b, _ := os.ReadFile(path); string(b) != "old\n" {
		t.Errorf("old file changed to %q", b)
	}
}

func TestReadFile_ReportsProgress(t *testing.T) {
	var calls int
	var last, total int64
	_, _, err := ReadFile("testdata/formats/people_crlf.csv", ReadOptions{Progress: func(n, tot int64) { calls++; last, total = n, tot }})
	if err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat("testdata/formats/people_crlf.csv")
	if calls == 0 || last != st.Size() || total != st.Size() {
		t.Errorf("progress: %d calls, last %d of %d, want the whole %d bytes", calls, last, total, st.Size())
	}
}

func assertTableRows(t testing.TB, tab *Table, header []string, rows [][]string) {
	t.Helper()
	if got := tab.Header(); !reflect.DeepEqual(got, header) {
		t.Fatalf("header = %q, want %q", got, header)
	}
	if got, want := tab.Rows(), len(rows); got != want {
		t.Fatalf("rows = %d, want %d", got, want)
	}
	for r, want := range rows {
		if got := tab.Row(r); !reflect.DeepEqual(got, want) {
			t.Errorf("row %d = %q, want %q", r, got, want)
		}
	}
}

func TestReadTable_SniffsTheDelimiterAfterDecodingGBK(t *testing.T) {
	// In GBK, 億 and 東 end with the byte 0x7C, which is '|' in ASCII: the
	// delimiter must be sniffed from the decoded text, not from the bytes.
	// Every line holds two of them and one ';': sniffing the raw bytes would
	// pick '|'.
	utf := "億東名称;地区\n億東公司;广东\n東億商行;江苏\n"
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(utf)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(gbk, "|") {
		t.Fatal("test premise: the GBK bytes hold no 0x7C")
	}
	tab, _, err := ReadTable(strings.NewReader(gbk), "export.csv", ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	assertTableRows(t, tab, []string{"億東名称", "地区"}, [][]string{{"億東公司", "广东"}, {"東億商行", "江苏"}})
}

func TestReadTable_BadBytesBeyondTheSampleNameTheirLine(t *testing.T) {
	var b strings.Builder
	b.WriteString("a,b\n")
	for b.Len() < sniffSize+1000 {
		b.WriteString("张三,李四\n")
	}
	lines := strings.Count(b.String(), "\n")
	b.WriteString("x,\xff\n")   // line lines+1: undecodable
	b.WriteString("only-one\n") // line lines+2: ragged, but later
	_, _, err := ReadTable(strings.NewReader(b.String()), "big.csv", ReadOptions{})
	want := fmt.Sprintf(`big.csv: line %d: column 2 ("b"): undecodable bytes`, lines+1)
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("err = %v, want it to start %q (the first bad line wins)", err, want)
	}
}
