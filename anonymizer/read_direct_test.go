package anonymizer

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// bigCSV is a generated population table large enough that its blocks
// hold thousands of rows: identifier columns then go to the merge row by
// row (colBlock.direct) while the others are numbered per block.
func bigCSV(t *testing.T, rows int) []byte {
	t.Helper()
	var b strings.Builder
	if err := Synthesize(&b, rows, 19, FormatCSV); err != nil {
		t.Fatal(err)
	}
	return []byte(b.String())
}

// withLine returns data with line n (1-based) replaced by line.
func withLine(data []byte, n int, line string) []byte {
	lines := bytes.SplitAfter(data, []byte("\n"))
	out := append([][]byte(nil), lines...)
	out[n-1] = []byte(line + "\n")
	return bytes.Join(out, nil)
}

func TestReadParallel_LargeBlocksSameAsEncodingCSV(t *testing.T) {
	data := bigCSV(t, 30000)
	header := string(bytes.SplitN(data, []byte("\n"), 2)[0])
	if !strings.HasPrefix(header, "身份证号,姓名,手机号,") {
		t.Fatalf("unexpected header %q", header)
	}
	// A quoted identifier with a line end and a doubled quote, and a row
	// that repeats an identifier seen thousands of rows before.
	quoted := withLine(data, 12000, "\"1101\n01\"\"X\",\"张三\",13800000000,1990-01-01,男,110101,教师,本科,5000,健康体检")
	dup := withLine(data, 25000, string(bytes.SplitN(data, []byte("\n"), 3)[1]))
	cases := map[string][]byte{
		"as generated":               data,
		"a quoted identifier":        quoted,
		"a repeated identifier":      dup,
		"undecodable identifier":     withLine(data, 20000, "\xff\xfe,张三,13800000000,1990-01-01,男,110101,教师,本科,5000,健康体检"),
		"undecodable after ids":      withLine(data, 20000, "110101199001010011,张三,13800000000,1990-01-01,\xff,110101,教师,本科,5000,健康体检"),
		"a ragged row":               withLine(data, 21000, "110101199001010011,张三"),
		"a bare quote in a later id": withLine(data, 22000, "110101199001010011,张\"三,13800000000,1990-01-01,男,110101,教师,本科,5000,健康体检"),
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			for _, size := range []int{256 << 10, readBlockSize} {
				checkSameAsCSV(t, in, size, nil)
				checkSameAsCSV(t, in, size, map[string]bool{"姓名": true})
			}
		})
	}
	t.Run("GB18030", func(t *testing.T) {
		gb, err := simplifiedchinese.GB18030.NewEncoder().Bytes(quoted)
		if err != nil {
			t.Fatal(err)
		}
		checkSameAsCSV(t, gb, 256<<10, nil)
	})
}
