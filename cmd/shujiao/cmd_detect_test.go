package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shujiao/shujiao/anonymizer"
)

// runDataCLI runs one shujiao command in-process and returns its exit code,
// stdout and stderr.
func runDataCLI(tb testing.TB, args ...string) (int, string, string) {
	tb.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return exitCode(err, &errb), out.String(), errb.String()
}

func TestGen_WritesTheSameTableForASeed(t *testing.T) {
	code, a, stderr := runDataCLI(t, "gen", "--rows", "50", "--seed", "9")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	_, b, _ := runDataCLI(t, "gen", "--seed", "9", "--rows", "50")
	if a != b {
		t.Error("the same seed gave two different tables")
	}
	lines := strings.Split(strings.TrimSpace(a), "\n")
	if got, want := len(lines), 51; got != want {
		t.Fatalf("%d lines, want a header and 50 rows", got)
	}
	if got, want := lines[0], strings.Join(anonymizer.SynthHeader, ","); got != want {
		t.Errorf("header = %q, want %q", got, want)
	}
	if id := strings.Split(lines[1], ",")[0]; !anonymizer.ValidResidentID(id) {
		t.Errorf("first ID %q has no valid GB 11643-1999 check character", id)
	}
}

func TestGen_OutFileTakesItsFormatFromTheExtension(t *testing.T) {
	for _, ext := range []string{"csv", "jsonl", "xlsx"} {
		t.Run(ext+" is written atomically and reads back", func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "people."+ext)
			if code, _, stderr := runDataCLI(t, "gen", "--rows", "20", "--seed", "1", "--out", path); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			tab, f, err := anonymizer.ReadFile(path, anonymizer.ReadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if string(f) != ext || tab.Rows() != 20 {
				t.Errorf("read %s with %d rows, want %s with 20", f, tab.Rows(), ext)
			}
		})
	}
}

func TestGenAndDetect_BadUsageExitsTwoWithOneLine(t *testing.T) {
	dir := t.TempDir()
	ragged := filepath.Join(dir, "ragged.csv")
	os.WriteFile(ragged, []byte("a,b\n1,2\n3\n"), 0o644)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"negative rows are refused", []string{"gen", "--rows", "-1"}, "--rows -1"},
		{"an unknown format is refused", []string{"gen", "--format", "orc"}, "unknown format"},
		{"too many rows for a worksheet are refused", []string{"gen", "--rows", "2000000", "--format", "xlsx"}, "1048575"},
		{"detect needs a file", []string{"detect"}, "want exactly one FILE"},
		{"a missing file is named", []string{"detect", filepath.Join(dir, "none.csv")}, "none.csv"},
		{"a ragged row names file and line", []string{"detect", ragged}, "ragged.csv: line 3: column 2"},
		{"a two-character delimiter is refused", []string{"detect", ragged, "--delimiter", ";;"}, "--delimiter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runDataCLI(t, tt.args...)
			if code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
			if strings.Count(strings.TrimSpace(stderr), "\n") != 0 || !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr %q: want one line containing %q", stderr, tt.want)
			}
		})
	}
}

func TestDetect_JSONProposesRolesForAGeneratedTable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "people.csv")
	if code, _, stderr := runDataCLI(t, "gen", "--rows", "500", "--seed", "3", "--out", path); code != 0 {
		t.Fatalf("gen: exit %d: %s", code, stderr)
	}
	code, stdout, stderr := runDataCLI(t, "detect", path, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var d struct {
		File    string `json:"file"`
		Rows    int    `json:"rows"`
		Columns []struct {
			Name  string `json:"name"`
			Types []struct {
				Type      string  `json:"type"`
				MatchRate float64 `json:"match_rate"`
				Example   string  `json:"example"`
			} `json:"types"`
			FreeTextHits []json.RawMessage `json:"free_text_hits"`
			ProposedRole string            `json:"proposed_role"`
			Confidence   float64           `json:"confidence"`
		} `json:"columns"`
	}
	if err := json.Unmarshal([]byte(stdout), &d); err != nil {
		t.Fatalf("--json is not the documented JSON: %v\n%s", err, stdout)
	}
	if d.File != path || d.Rows != 500 || len(d.Columns) != 10 {
		t.Fatalf("file %q, rows %d, %d columns; want %q, 500, 10", d.File, d.Rows, len(d.Columns), path)
	}
	roles := map[string]string{}
	for _, c := range d.Columns {
		roles[c.Name] = c.ProposedRole
		if c.FreeTextHits == nil {
			t.Errorf("%s: free_text_hits is null, want an array", c.Name)
		}
	}
	want := map[string]string{"身份证号": "identifying", "手机号": "identifying", "姓名": "identifying",
		"出生日期": "quasi", "性别": "quasi", "行政区划": "quasi", "诊断": "sensitive"}
	for col, role := range want {
		if roles[col] != role {
			t.Errorf("%s proposed %q, want %q", col, roles[col], role)
		}
	}
	if ex := d.Columns[0].Types[0].Example; !strings.Contains(ex, "*") {
		t.Errorf("example %q is not masked", ex)
	}
	code, text, _ := runDataCLI(t, "detect", path)
	if code != 0 || !strings.Contains(text, "身份证号") || !strings.Contains(text, "identifying") {
		t.Errorf("text output (exit %d) lacks the column table:\n%s", code, text)
	}
}
