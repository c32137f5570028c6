package anonymizer

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// readBoth reads data through encoding/csv and through the parallel reader
// cut into blocks of blockSize bytes.
func readBoth(data []byte, blockSize int, skip map[string]bool) (seq, par *Table, seqErr, parErr error) {
	seq, seqErr = readDelimitedBy(bufio.NewReader(bytes.NewReader(data)), "t.csv", 0, int64(len(data)), skip, nil, 0)
	par, parErr = readDelimitedBy(bufio.NewReader(bytes.NewReader(data)), "t.csv", 0, int64(len(data)), skip, nil, blockSize)
	return
}

// sameTable returns how a and b differ, or "".
func sameTable(a, b *Table) string {
	if fmt.Sprint(a.Header()) != fmt.Sprint(b.Header()) {
		return fmt.Sprintf("header %q vs %q", a.Header(), b.Header())
	}
	if a.Rows() != b.Rows() {
		return fmt.Sprintf("rows %d vs %d", a.Rows(), b.Rows())
	}
	if la, lb := tableLines(a), tableLines(b); fmt.Sprint(la) != fmt.Sprint(lb) {
		return fmt.Sprintf("lines %v vs %v", la, lb)
	}
	for i, c := range a.Columns {
		d := b.Columns[i]
		if c.skipped != d.skipped || fmt.Sprintf("%q", c.Dict) != fmt.Sprintf("%q", d.Dict) || fmt.Sprint(c.Codes) != fmt.Sprint(d.Codes) {
			return fmt.Sprintf("column %s: %q %v vs %q %v", c.Name, c.Dict, c.Codes, d.Dict, d.Codes)
		}
	}
	return ""
}

// tableLines returns the source line of every row of t (Table.Line).
func tableLines(t *Table) []int {
	lines := make([]int, t.Rows())
	for r := range lines {
		lines[r] = t.Line(r)
	}
	return lines
}

// checkSameAsCSV fails when the parallel reader disagrees with encoding/csv
// on data: another table, or another error message.
func checkSameAsCSV(t *testing.T, data []byte, blockSize int, skip map[string]bool) {
	t.Helper()
	seq, par, seqErr, parErr := readBoth(data, blockSize, skip)
	if fmt.Sprint(seqErr) != fmt.Sprint(parErr) {
		t.Fatalf("block size %d: errors differ:\nencoding/csv: %v\nparallel:     %v\ninput %q", blockSize, seqErr, parErr, data)
	}
	if seqErr == nil {
		if d := sameTable(seq, par); d != "" {
			t.Fatalf("block size %d: tables differ: %s\ninput %q", blockSize, d, data)
		}
	}
}

// randomCSV writes a small delimited text that exercises what the parser
// must get right: quoted fields with delimiters, doubled quotes and line
// ends, CRLF, empty lines, trailing CR; with bad=true also bare quotes,
// ragged rows and undecodable bytes.
func randomCSV(rng *rand.Rand, bad bool) []byte {
	var b bytes.Buffer
	cols := 1 + rng.Intn(4)
	for c := range cols {
		if c > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "c%d", c)
	}
	b.WriteString("\n")
	pieces := []string{"a", "b", "陕西", "", " x ", "1", "2", "\r"}
	quoted := []string{`"q,1"`, `"say ""hi"""`, "\"two\nlines\"", "\"crlf\r\nin\"", `""`, `"陕"`}
	wrong := []string{`a"b`, `"x"y`, "\xff\xfe", `"open`}
	for r := range 5 + rng.Intn(40) {
		n := cols
		if bad && rng.Intn(15) == 0 {
			n = cols + rng.Intn(3) - 1
		}
		for c := range n {
			if c > 0 {
				b.WriteByte(',')
			}
			switch k := rng.Intn(10); {
			case bad && k == 0 && rng.Intn(3) == 0:
				b.WriteString(wrong[rng.Intn(len(wrong))])
			case k < 3:
				b.WriteString(quoted[rng.Intn(len(quoted))])
			default:
				b.WriteString(pieces[rng.Intn(len(pieces)-1)])
			}
		}
		switch rng.Intn(8) {
		case 0:
			b.WriteString("\r\n")
		case 1:
			b.WriteString("\n\n")
		case 2:
			b.WriteString("\r\n\r\n")
		default:
			b.WriteString("\n")
		}
		_ = r
	}
	switch rng.Intn(3) {
	case 0:
		b.Truncate(b.Len() - 1) // no final line end (a CR may remain)
	case 1:
		b.WriteString("\r")
	}
	return b.Bytes()
}

func TestReadParallel_SameTablesAndErrorsAsEncodingCSV(t *testing.T) {
	rng := rand.New(rand.NewSource(19))
	for i := range 1000 {
		data := randomCSV(rng, i%2 == 1)
		for _, size := range []int{16, 64, 1 << 20} {
			checkSameAsCSV(t, data, size, nil)
			if i%5 == 0 {
				checkSameAsCSV(t, data, size, map[string]bool{"c0": true})
			}
		}
	}
}

func TestReadParallel_GB18030SameAsDecodingFirst(t *testing.T) {
	rng := rand.New(rand.NewSource(18030))
	for range 300 {
		utf := randomCSV(rng, false)
		gb, err := simplifiedchinese.GB18030.NewEncoder().Bytes(utf)
		if err != nil {
			t.Fatal(err)
		}
		for _, size := range []int{16, 128, 1 << 20} {
			checkSameAsCSV(t, gb, size, nil)
		}
	}
	// An undecodable GB18030 sequence is named by line and column alike.
	gb, _ := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte("姓名,城市\n张三,西安\n李四,宝鸡\n"))
	gb = append(gb, []byte("王五,\x81\x20\n")...)
	checkSameAsCSV(t, gb, 16, nil)
}

func TestReadParallel_ErrorMessagesNameLineAndColumn(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"a bare quote", "a,b\n1,2\n3,x\"y\n", `t.csv: line 3: column 4: bare " in non-quoted-field`},
		{"a ragged row", "a,b\n1,2\n\n3\n", `t.csv: line 4: column 2 ("b"): missing: 1 fields, want 2`},
		{"a quote left open", "a,b\n1,\"2\n3,4\n", `t.csv: line 3: column 5: extraneous or missing " in quoted-field`},
		{"invalid UTF-8", "a,b\n1,2\n3,\xff\n", `t.csv: line 3: column 2 ("b"): undecodable bytes (neither UTF-8 nor GB18030/GBK)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, seqErr, parErr := readBoth([]byte(tc.in), 8, nil)
			if got := fmt.Sprint(parErr); got != tc.want || fmt.Sprint(seqErr) != got {
				t.Fatalf("parallel: %v\ncsv:      %v\nwant      %s", parErr, seqErr, tc.want)
			}
		})
	}
}

// releaseSHA anonymizes the generated population table read from data by
// the given reader (blockSize 0: encoding/csv) and returns the SHA-256 of
// the release.
func releaseSHA(tb testing.TB, data []byte, blockSize int) string {
	tb.Helper()
	table, err := readDelimitedBy(bufio.NewReader(bytes.NewReader(data)), "pop.csv", 0, int64(len(data)), nil, nil, blockSize)
	if err != nil {
		tb.Fatal(err)
	}
	table.dropIndexes()
	c := Config{QuasiIdentifiers: []string{"性别", "出生日期", "行政区划", "学历", "收入"}, Drop: []string{"身份证号", "姓名"},
		Pseudonymize: []string{"手机号"}, PseudonymKey: []byte("k"), Models: Models{K: 5, Suppression: 0.05}}
	c.Hierarchies = map[string]*Hierarchy{}
	for col, spec := range map[string]string{"出生日期": "date", "行政区划": "division", "性别": "mask",
		"学历": "ordered:小学,初中,中专,高中,大专,本科,硕士,博士", "收入": "interval:5000,10000,50000"} {
		if c.Hierarchies[col], err = ResolveHierarchy(table, col, spec); err != nil {
			tb.Fatal(err)
		}
	}
	res, err := Anonymize(context.Background(), table, c)
	if err != nil {
		tb.Fatal(err)
	}
	h := sha256.New()
	if err := WriteTable(h, res.Table, FormatCSV, WriteOptions{}); err != nil {
		tb.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func TestReadParallel_ReleaseSHA256SameAsEncodingCSV(t *testing.T) {
	var b strings.Builder
	if err := Synthesize(&b, 20000, 7, FormatCSV); err != nil {
		t.Fatal(err)
	}
	data := []byte(b.String())
	if got, want := releaseSHA(t, data, 64<<10), releaseSHA(t, data, 0); got != want {
		t.Fatalf("release SHA-256 through the parallel reader %s, through encoding/csv %s", got, want)
	}
}

func FuzzReadParallel(f *testing.F) {
	f.Add([]byte("a,b\n1,\"x\ny\"\n\"q\"\"\",2\r\n"), uint8(8))
	f.Add([]byte("a\n\"\n"), uint8(3))
	f.Fuzz(func(t *testing.T, data []byte, size uint8) {
		// Invariant: the parallel reader returns what encoding/csv returns.
		checkSameAsCSV(t, data, 1+int(size), nil)
	})
}
