package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

const adultDir = "../../testdata/adult"

var adultQIs = []string{"sex", "age", "race", "marital-status", "education", "native-country", "workclass", "occupation"}

// runAnonymizeCLI runs `shujiao anonymize args…` and returns the exit code,
// stdout and stderr.
func runAnonymizeCLI(tb testing.TB, args ...string) (int, string, string) {
	tb.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), append([]string{"anonymize"}, args...), strings.NewReader(""), &out, &errb)
	return exitCode(err, &errb), out.String(), errb.String()
}

func TestAnonymizeCLI_AdultReferenceCase(t *testing.T) {
	if _, err := os.Stat(filepath.Join(adultDir, "adult.csv")); err != nil {
		t.Fatalf("Adult data (testdata/adult) not readable: %v", err)
	}
	out := filepath.Join(t.TempDir(), "adult.anon.csv")
	report := filepath.Join(t.TempDir(), "report.json")
	args := []string{"--out", out, "--json", "--report", report, "--delimiter", ";", "--k", "5", "--suppression", "0.05",
		"--qi", strings.Join(adultQIs, ",")}
	for _, q := range adultQIs {
		args = append(args, "--hierarchy", q+"="+filepath.Join(adultDir, "adult_hierarchy_"+q+".csv"))
	}
	code, stdout, stderr := runAnonymizeCLI(t, append(args, filepath.Join(adultDir, "adult.csv"))...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep struct {
		RowsIn         int `json:"rows_in"`
		RowsOut        int `json:"rows_out"`
		Transformation map[string]int
		Suppressed     int
		Classes        int
		Metrics        struct{ Loss float64 }
		Optimal        bool
		TimingsMS      map[string]float64 `json:"timings_ms"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("stdout is not the JSON report: %v", err)
	}
	want := map[string]int{"sex": 0, "age": 3, "race": 0, "marital-status": 0, "education": 1, "native-country": 1, "workclass": 1, "occupation": 2}
	for q, l := range want {
		if rep.Transformation[q] != l {
			t.Errorf("%s level %d, want %d", q, rep.Transformation[q], l)
		}
	}
	if rep.RowsIn != 30162 || rep.RowsOut != 30162 {
		t.Errorf("rows_in %d rows_out %d, want 30162 both", rep.RowsIn, rep.RowsOut)
	}
	if rep.Suppressed != 1458 || rep.Classes != 399 || rep.Metrics.Loss < 0.25185 || rep.Metrics.Loss > 0.25195 || !rep.Optimal {
		t.Errorf("suppressed %d classes %d loss %v optimal %v; want 1458, 399, 0.2519, true", rep.Suppressed, rep.Classes, rep.Metrics.Loss, rep.Optimal)
	}
	for _, k := range []string{"read", "search", "write"} {
		if _, ok := rep.TimingsMS[k]; !ok {
			t.Errorf("timings_ms.%s missing", k)
		}
	}
	if b, err := os.ReadFile(report); err != nil || !json.Valid(b) {
		t.Errorf("--report file: %v", err)
	}
	body, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(body)), "\n")
	if len(lines) != 30163 || !strings.HasPrefix(lines[0], "sex;age;") {
		t.Errorf("output has %d lines starting %q; want 30,163 ;-separated", len(lines), lines[0])
	}
	if !strings.Contains(stderr, "1458 suppressed, 399 classes") {
		t.Errorf("summary on stderr: %q", stderr)
	}
}

func TestAnonymizeCLI_BadInputIsOneLineAndExitTwo(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.csv")
	os.WriteFile(in, []byte("name,age,city\n张三,31,西安\n李四,33,西安\n王五,abc,天津\n"), 0o644)
	hier := filepath.Join(dir, "age.csv")
	os.WriteFile(hier, []byte("31;30-39;*\n33;30-39;*\n"), 0o644)
	out := filepath.Join(dir, "out.csv")
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"a value missing from its hierarchy names file, line and column", []string{"--qi", "age", "--hierarchy", "age=" + hier},
			`in.csv: line 4: column "age": value "abc" is missing from hierarchy`},
		{"a value an interval generator cannot take names the column", []string{"--qi", "age", "--hierarchy", "age=interval:10"},
			`column "age": hierarchy "interval:10": value "abc" is not a number`},
		{"an unknown column is named", []string{"--qi", "agee"}, `column "agee": no such column`},
		{"a bad l-diversity is a usage error", []string{"--qi", "age", "--l", "distinct"}, "want distinct:L"},
		{"a missing hierarchy file is named", []string{"--qi", "age", "--hierarchy", "age=" + filepath.Join(dir, "nope.csv")}, "nope.csv"},
		{"a memory limit that is no size is a usage error", []string{"--qi", "city", "--memory-limit", "lots"}, `--memory-limit "lots": want a positive number of bytes`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := runAnonymizeCLI(t, append(append([]string{"--out", out}, c.args...), in)...)
			if code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
			if strings.Count(strings.TrimSpace(stderr), "\n") != 0 || !strings.Contains(stderr, c.want) {
				t.Errorf("stderr %q, want one line containing %q", stderr, c.want)
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("a failed run left an output file")
			}
		})
	}
}

func TestAnonymizeCLI_PolicyFileAndJSONLOutput(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.csv")
	os.WriteFile(in, []byte("身份证号,手机号,出生日期,区划,诊断\n"+
		"610113199003070011,13800138000,1990-03-07,610113,哮喘\n"+
		"610113199005070022,13800138001,1990-05-07,610112,胃炎\n"+
		"610113199011070033,13800138002,1990-11-07,610113,哮喘\n"+
		"120101198801010044,13800138003,1988-01-01,120101,胃炎\n"+
		"120101198802010055,13800138004,1988-02-01,120102,高血压\n"+
		"120101198812010066,13800138005,1988-12-01,120103,哮喘\n"), 0o644)
	pol := filepath.Join(dir, "policy.json")
	os.WriteFile(pol, []byte(`{"columns": {"身份证号": {"role": "identifying"}, "手机号": {"role": "identifying", "action": "pseudonymize"},
	  "出生日期": {"role": "quasi", "hierarchy": "date"}, "区划": {"role": "quasi", "hierarchy": "division"},
	  "诊断": {"role": "sensitive"}}, "k": 3, "l": "distinct:2"}`), 0o644)
	key := filepath.Join(dir, "key")
	os.WriteFile(key, []byte("a pseudonym key of more than sixteen bytes\n"), 0o600)
	out := filepath.Join(dir, "out.jsonl")
	code, stdout, stderr := runAnonymizeCLI(t, "--out", out, "--policy", pol, "--pseudonym-key-file", key, "--format", "jsonl", "--json", in)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	body, _ := os.ReadFile(out)
	lines := strings.Split(strings.TrimSpace(string(body)), "\n")
	if len(lines) != 6 {
		t.Fatalf("%d JSON lines, want 6", len(lines))
	}
	for _, l := range lines {
		var row map[string]string
		if err := json.Unmarshal([]byte(l), &row); err != nil {
			t.Fatal(err)
		}
		if _, ok := row["身份证号"]; ok || strings.Contains(l, "1380013800") || strings.Contains(l, "610113199") {
			t.Errorf("identifier released: %s", l)
		}
		if len(row["手机号"]) != 64 {
			t.Errorf("phone %q, want a 64-hex-digit pseudonym", row["手机号"])
		}
	}
	var rep map[string]any
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if m := rep["models"].(map[string]any); m["k"].(float64) != 3 || m["l"] != "distinct:2" {
		t.Errorf("models %v", m)
	}
	if rep["min_class_size"].(float64) < 3 {
		t.Errorf("min class size %v < k", rep["min_class_size"])
	}
}

// --memory-limit sets the runtime's soft limit for the run only, and the
// dropped column is skipped when read yet still named in errors.
func TestAnonymizeCLI_MemoryLimitIsForTheRunOnly(t *testing.T) {
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.csv"), filepath.Join(dir, "out.csv")
	os.WriteFile(in, []byte("身份证号,city\n110101199003074514,西安\n120101198511110016,西安\n"), 0o644)
	before := debug.SetMemoryLimit(-1)
	for _, limit := range []string{"off", "300MiB", "1GiB"} {
		if code, _, stderr := runAnonymizeCLI(t, "--out", out, "--k", "2", "--qi", "city", "--drop", "身份证号", "--memory-limit", limit, in); code != 0 {
			t.Fatalf("--memory-limit %s: exit %d: %s", limit, code, stderr)
		}
		if got := debug.SetMemoryLimit(-1); got != before {
			t.Fatalf("--memory-limit %s left the process limit at %d, was %d", limit, got, before)
		}
	}
	b, _ := os.ReadFile(out)
	if string(b) != "city\n西安\n西安\n" {
		t.Fatalf("release %q: the dropped column must be gone", b)
	}
}

// The default budget holds ten million rows (about 1.1 GB once read) under
// 3 GB and grows with a larger table instead of making the collector run
// without end.
func TestAnonymizeMemoryBudget_GrowsWithTheTable(t *testing.T) {
	for _, c := range []struct{ live, want int64 }{
		{0, defaultAnonymizeMemory},
		{1100 << 20, defaultAnonymizeMemory},
		{1280 << 20, defaultAnonymizeMemory},
		{3 << 30, 6 << 30},
	} {
		if got := budgetFor(c.live); got != c.want {
			t.Errorf("budgetFor(%d MiB) = %d MiB, want %d MiB", c.live>>20, got>>20, c.want>>20)
		}
	}
}
