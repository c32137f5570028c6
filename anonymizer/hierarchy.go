package anonymizer

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
)

// Hierarchy is a generalization hierarchy for one quasi-identifier, in ARX's
// form: one row per original value, the value itself at level 0 and its
// generalizations at levels 1..Height, the last one usually "*".
//
// A Hierarchy is immutable once built and safe for concurrent use.
type Hierarchy struct {
	// Source names where the hierarchy came from (a file or a generator spec).
	Source string
	rows   [][]string
	index  map[string]int
	lines  []int
}

// NewHierarchy builds a hierarchy from its rows (each: value, level 1, …, top).
// It returns an error when rows are ragged, empty or a value is repeated.
func NewHierarchy(source string, rows [][]string) (*Hierarchy, error) {
	lines := make([]int, len(rows))
	for i := range lines {
		lines[i] = i + 1
	}
	return newHierarchy(source, rows, lines)
}

func newHierarchy(source string, rows [][]string, lines []int) (*Hierarchy, error) {
	if len(rows) == 0 {
		return nil, fmt.Errorf("%s: line 1: hierarchy has no rows", source)
	}
	h := &Hierarchy{Source: source, rows: rows, index: make(map[string]int, len(rows)), lines: lines}
	width := len(rows[0])
	for i, r := range rows {
		if len(r) != width {
			return nil, fmt.Errorf("%s: line %d: %d levels, want %d like line %d", source, lines[i], len(r), width, lines[0])
		}
		if j, dup := h.index[r[0]]; dup {
			return nil, fmt.Errorf("%s: line %d: column 1: value %q repeats line %d", source, lines[i], r[0], lines[j])
		}
		h.index[r[0]] = i
	}
	return h, nil
}

// ParseHierarchy reads an ARX hierarchy: `;`-separated, no header, one row
// per value, LF or CRLF, UTF-8 with or without BOM. Errors name source and line.
func ParseHierarchy(source string, r io.Reader) (*Hierarchy, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	var rows [][]string
	var lines []int
	n := 0
	for sc.Scan() {
		n++
		b := sc.Bytes()
		if n == 1 {
			b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
		}
		s := strings.TrimRight(string(b), "\r")
		if strings.TrimSpace(s) == "" {
			continue
		}
		rows = append(rows, strings.Split(s, ";"))
		lines = append(lines, n)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: line %d: read hierarchy: %w", source, n+1, err)
	}
	return newHierarchy(source, rows, lines)
}

// LoadHierarchy reads an ARX hierarchy file (see ParseHierarchy).
func LoadHierarchy(path string) (*Hierarchy, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open hierarchy: %w", err)
	}
	defer f.Close()
	return ParseHierarchy(path, f)
}

// Height is the highest generalization level (the number of levels above the
// original value).
func (h *Hierarchy) Height() int { return len(h.rows[0]) - 1 }

// Size is the number of rows (original values) of the hierarchy; ARX's Loss
// measures a generalized value's share of these rows.
func (h *Hierarchy) Size() int { return len(h.rows) }

// Has reports whether v is an original value of the hierarchy.
func (h *Hierarchy) Has(v string) bool { _, ok := h.index[v]; return ok }

// Generalize returns v generalized to level (0 ≤ level ≤ Height) and whether
// v is in the hierarchy.
func (h *Hierarchy) Generalize(v string, level int) (string, bool) {
	i, ok := h.index[v]
	if !ok || level < 0 || level > h.Height() {
		return "", false
	}
	return h.rows[i][level], true
}

// Rows returns a copy of the hierarchy's rows.
func (h *Hierarchy) Rows() [][]string {
	out := make([][]string, len(h.rows))
	for i, r := range h.rows {
		out[i] = append([]string(nil), r...)
	}
	return out
}
