package anonymizer

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// carryCSV is a table of n rows whose 手机号 column is unique, whose 卡号
// column repeats only across blocks (row r holds value r mod 3000), and
// whose 年龄 column repeats within blocks.
func carryCSV(n int) []byte {
	var b bytes.Buffer
	b.WriteString("手机号,卡号,年龄\n")
	for r := range n {
		fmt.Fprintf(&b, "1%010d,card-%05d,%d\n", 3_000_000_000+7*r, r%3000, 20+r%50)
	}
	return b.Bytes()
}

// A carried column reads each row's value as without Carry; where its
// values barely repeat within a block they are appended, not looked up,
// so that a value met again in a later block gets a second code; a
// column that repeats within its blocks reads as before.
func TestReadOptionsCarry_RowsReadTheSameDictMayRepeat(t *testing.T) {
	data := carryCSV(40_000)
	read := func(carry map[string]bool) *Table {
		t.Helper()
		tb, err := readDelimitedBy(bufio.NewReader(bytes.NewReader(data)), "c.csv", 0, int64(len(data)), nil, carry, 1<<16)
		if err != nil {
			t.Fatal(err)
		}
		return tb
	}
	plain := read(nil)
	carried := read(map[string]bool{"手机号": true, "卡号": true, "年龄": true})
	if carried.Rows() != 40_000 || plain.Rows() != 40_000 {
		t.Fatalf("rows %d, %d", carried.Rows(), plain.Rows())
	}
	for ci := range plain.Columns {
		for r := range plain.Rows() {
			if g, w := carried.Value(r, ci), plain.Value(r, ci); g != w {
				t.Fatalf("row %d column %d: carried %q, read plainly %q", r, ci, g, w)
			}
		}
	}
	card := carried.Column("卡号")
	if !card.Carried() || plain.Column("卡号").Carried() {
		t.Fatal("Carried() does not say which column was carried")
	}
	if n := len(plain.Column("卡号").Dict); n != 3000 {
		t.Fatalf("read plainly: %d values, want 3000", n)
	}
	if n := len(card.Dict); n <= 3000 {
		t.Fatalf("carried: %d values in Dict: the blocks were looked up, not appended", n)
	}
	if code, ok := card.Code("card-00042"); !ok || card.Dict[code] != "card-00042" {
		t.Fatalf("Code of a repeated carried value: %d %v", code, ok)
	}
	if n := len(carried.Column("年龄").Dict); n != 50 {
		t.Fatalf("a carried column that repeats within blocks: %d values, want 50", n)
	}
	t.Run("undecodable bytes in a carried column are still refused", func(t *testing.T) {
		bad := append(append([]byte(nil), data...), "\xff\xfe,card-1,30\n"...)
		_, err := readDelimitedBy(bufio.NewReader(bytes.NewReader(bad)), "bad.csv", 0, int64(len(bad)), nil, map[string]bool{"手机号": true}, 1<<16)
		if err == nil || !strings.Contains(err.Error(), `bad.csv: line 40002: column 1 ("手机号"): undecodable bytes`) {
			t.Fatalf("got %v", err)
		}
	})
}

// A release made from a table whose pseudonymized columns were carried
// is byte for byte the release made from the table read plainly.
func TestReadOptionsCarry_PseudonymizedReleaseUnchanged(t *testing.T) {
	data := carryCSV(30_000)
	cfg := Config{QuasiIdentifiers: []string{"年龄"}, Pseudonymize: []string{"手机号", "卡号"},
		PseudonymKey: bytes.Repeat([]byte{7}, 32), Models: Models{K: 5}}
	release := func(opt ReadOptions) ([]byte, *Table) {
		t.Helper()
		tb, _, err := ReadTable(bytes.NewReader(data), "c.csv", opt)
		if err != nil {
			t.Fatal(err)
		}
		out, res := releaseCSV(t, tb, cfg)
		return out, res.Table
	}
	plain, _ := release(ReadOptions{})
	got, carried := release(ReadOptions{Carry: cfg.Pseudonymize})
	if !carried.Column("卡号").Carried() {
		t.Fatal("the release's pseudonyms of a carried column are not marked as carried (their Dict repeats)")
	}
	if !bytes.Equal(got, plain) {
		t.Fatal("the release differs when the pseudonymized columns are carried")
	}
	if !bytes.Contains(plain, []byte(Pseudonym(cfg.PseudonymKey, "card-00042"))) {
		t.Fatal("the release does not hold the pseudonyms")
	}
}
