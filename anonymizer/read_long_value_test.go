package anonymizer

import (
	"fmt"
	"strings"
	"testing"
)

// Values longer than the reader's first arena chunk (4 KiB), up to the
// longest kept in an arena (arenaChunk/8) and beyond it, early in a
// column and between short ones, read back byte for byte with their codes
// by first occurrence.
func TestReadTable_LongValuesEarlyInAColumn(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,note\n")
	var want []string
	for i, n := range []int{5000, 3, 70000, 10, 5000, 4097, arenaChunk / 8, 2, arenaChunk/8 + 1, 7, arenaChunk / 4} {
		v := strings.Repeat(string(rune('a'+i)), n)
		want = append(want, v)
		fmt.Fprintf(&b, "%d,%s\n", i, v)
	}
	tab, _, err := ReadTable(strings.NewReader(b.String()), "long.csv", ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	note := tab.Columns[1]
	if len(note.Codes) != len(want) {
		t.Fatalf("%d rows, want %d", len(note.Codes), len(want))
	}
	for r, v := range want {
		if got := note.Dict[note.Codes[r]]; got != v {
			t.Fatalf("row %d: a value of %d bytes read back as %d bytes", r, len(v), len(got))
		}
	}
}
