package anonymizer

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzReadTable feeds arbitrary bytes to every reader. Invariants: no panic;
// either a one-line error naming the input, or a table whose every column has
// one code per row and one line number per row.
func FuzzReadTable(f *testing.F) {
	for _, seed := range []string{
		"a,b\n1,2\n", "a;b\r\n\"x;y\";2\r\n", "\xef\xbb\xbfa\tb\n1\t2\n", "a|b\n1|2\n3|4\n",
		"{\"a\":1}\n{\"b\":\"x\"}\n", "{\"a\":[1]}\n", "a,b\n1\n", "\xd5\xc5\xc8\xfd,1\n\xc0\xee,2\n",
		"a,\"b\nc\",d\n1,2,3\n", "", "{", "PK\x03\x04",
	} {
		f.Add([]byte(seed), uint8(0))
		f.Add([]byte(seed), uint8(1))
		f.Add([]byte(seed), uint8(2))
	}
	f.Fuzz(func(t *testing.T, data []byte, mode uint8) {
		name := []string{"in.csv", "in.jsonl", "in"}[mode%3]
		tab, _, err := ReadTable(bytes.NewReader(data), name, ReadOptions{})
		if err != nil {
			msg := err.Error()
			if strings.Contains(msg, "\n") || !strings.HasPrefix(msg, name+":") {
				t.Fatalf("error is not one line naming the input: %q", msg)
			}
			return
		}
		for _, c := range tab.Columns {
			if len(c.Codes) != tab.Rows() {
				t.Fatalf("column %q has %d codes for %d rows", c.Name, len(c.Codes), tab.Rows())
			}
			for _, code := range c.Codes {
				if int(code) >= len(c.Dict) {
					t.Fatalf("column %q: code %d outside a dictionary of %d", c.Name, code, len(c.Dict))
				}
			}
		}
		for r, l := range tableLines(tab) {
			if l <= 0 || r > 0 && l <= tab.Line(r-1) {
				t.Fatalf("row %d: line %d after line %d", r, l, tab.Line(max(r-1, 0)))
			}
		}
		// What was read writes and reads back to the same table.
		var buf bytes.Buffer
		if err := WriteTable(&buf, tab, FormatCSV, WriteOptions{}); err != nil {
			t.Fatal(err)
		}
		back, _, err := ReadTable(&buf, "back.csv", ReadOptions{Delimiter: ','})
		if err != nil {
			t.Fatalf("re-reading written output: %v\n%q", err, buf.String())
		}
		if back.Rows() != tab.Rows() {
			t.Fatalf("round trip: %d rows, want %d", back.Rows(), tab.Rows())
		}
		for r := 0; r < tab.Rows(); r++ {
			for c := range tab.Columns {
				if back.Value(r, c) != tab.Value(r, c) {
					t.Fatalf("round trip row %d col %d: %q, want %q", r, c, back.Value(r, c), tab.Value(r, c))
				}
			}
		}
	})
}
