package anonymizer

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const adultDir = "../testdata/adult" // a copy of ../shared/data/adult (ARX, Apache-2.0; UCI, CC BY 4.0)

var adultQIs = []string{"sex", "age", "race", "marital-status", "education", "native-country", "workclass", "occupation"}

// MustAdult loads the Adult table and ARX's hierarchies, or skips the test
// when the data set is not present.
func MustAdult(tb testing.TB) (*Table, map[string]*Hierarchy) {
	tb.Helper()
	f, err := os.Open(filepath.Join(adultDir, "adult.csv"))
	if err != nil {
		tb.Fatalf("Adult data (testdata/adult) not readable: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	var t *Table
	line := 0
	for sc.Scan() {
		line++
		fields := strings.Split(strings.TrimRight(sc.Text(), "\r"), ";")
		if t == nil {
			if t, err = NewTable("adult.csv", fields); err != nil {
				tb.Fatal(err)
			}
			continue
		}
		if err := t.AppendRow(fields, line); err != nil {
			tb.Fatal(err)
		}
	}
	hs := map[string]*Hierarchy{}
	for _, c := range append(adultQIs, "salary-class") {
		h, err := LoadHierarchy(filepath.Join(adultDir, "adult_hierarchy_"+c+".csv"))
		if err != nil {
			tb.Fatal(err)
		}
		hs[c] = h
	}
	return t, hs
}
