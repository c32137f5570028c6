package anonymizer

import (
	"bytes"
	"fmt"
	"testing"
)

// A table whose rows are one line each keeps only the first row's line,
// not eight bytes a row, and still names every row's line.
func TestReadParallel_OneLineARowKeepsNoLineNumbers(t *testing.T) {
	data := bigCSV(t, 20000)
	for _, size := range []int{64 << 10, readBlockSize} {
		_, par, _, err := readBoth(data, size, nil)
		if err != nil {
			t.Fatal(err)
		}
		if par.Lines != nil {
			t.Errorf("block size %d: %d line numbers kept for a table of one line a row", size, len(par.Lines))
		}
		for _, r := range []int{0, 1, 9999, par.Rows() - 1} {
			if got, want := par.Line(r), r+2; got != want {
				t.Errorf("block size %d: Line(%d) = %d, want %d", size, r, got, want)
			}
		}
	}
}

// A blank line or a quoted line break anywhere — first row of a block,
// last row of a block, the very last row — shifts the lines of the rows
// after it exactly as encoding/csv counts them, however the input is cut
// into blocks.
func TestReadParallel_LineShiftsAtBlockBoundaries(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("a,b\n")
	for r := range 400 {
		fmt.Fprintf(&b, "%d,v%d\n", r, r%7)
	}
	base := b.Bytes()
	lines := bytes.SplitAfter(base, []byte("\n"))
	with := func(at int, insert string) []byte {
		var out bytes.Buffer
		for i, l := range lines {
			if i == at {
				out.WriteString(insert)
			}
			out.Write(l)
		}
		return out.Bytes()
	}
	for _, at := range []int{1, 2, 57, 58, 59, 200, 399, 400} {
		for name, in := range map[string][]byte{
			"a blank line":         with(at, "\n"),
			"two blank CRLF lines": with(at, "\r\n\r\n"),
			"a quoted line break":  with(at, "\"x\ny\",\"z\"\n"),
		} {
			t.Run(fmt.Sprintf("%s before line %d", name, at+1), func(t *testing.T) {
				// Blocks of 512 bytes hold about 58 rows: every cut
				// position lands once on each side of the insert.
				for _, size := range []int{64, 512, 513, 4096} {
					checkSameAsCSV(t, in, size, nil)
				}
			})
		}
	}
}
