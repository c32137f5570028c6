package anonymizer

import (
	"bytes"
	"encoding/csv"
)

// presize sizes t's columns for the whole input before reading it, from the
// first records of sample (delimited text, decoded) and the input size
// (total bytes, -1 when unknown): code slices get the estimated row count
// as capacity, and columns whose sampled values (nearly) never repeat get
// dictionaries of that size. Growing a map of millions of strings one
// doubling at a time costs a fifth of the reading time otherwise.
//
// It returns, per column, the dictionary size to prepare for (0: no hint).
// With maps false it allocates no value → code maps (the parallel reader
// keeps its own tables, sized from the hints).
func presize(t *Table, sample []byte, delim rune, total int64, maps bool) []int {
	hints := make([]int, len(t.Columns))
	if total <= 0 || len(sample) == 0 {
		return hints
	}
	cr := csv.NewReader(bytes.NewReader(sample))
	cr.Comma = delim
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	if _, err := cr.Read(); err != nil { // the header
		return hints
	}
	start := cr.InputOffset()
	distinct := make([]map[string]struct{}, len(t.Columns))
	for i := range distinct {
		distinct[i] = make(map[string]struct{})
	}
	n := 0
	for ; n < 2000; n++ {
		rec, err := cr.Read()
		if err != nil || len(rec) != len(t.Columns) {
			break
		}
		for i, v := range rec {
			distinct[i][v] = struct{}{}
		}
	}
	if n < 50 {
		return hints
	}
	perRow := float64(cr.InputOffset()-start) / float64(n)
	est := int(float64(total) / perRow * 1.05)
	if est > 200_000_000 {
		est = 200_000_000
	}
	for i, c := range t.Columns {
		if c.skipped {
			continue
		}
		c.Codes = hugePages(make([]int32, 0, est))
		// Only columns without repeats in the sample get a dictionary of the
		// estimated row count: a column of 25,000 possible birth dates also
		// looks mostly distinct in 2,000 rows, but repeats about 80 of them.
		if len(distinct[i])*1000 >= n*995 {
			hints[i] = est
			if maps {
				c.index = make(map[string]int32, est)
				c.Dict = make([]string, 0, est)
			}
		}
	}
	if maps { // the parallel reader keeps only the first line while it can
		t.Lines = make([]int, 0, est)
	}
	return hints
}
