package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAnonymizeCLI_PolicyMaxLevelsHoldsAColumnDown: a policy saved with
// the workbench's chosen alternative (max_levels) releases no column above
// its level from the command line, and a level the hierarchy does not
// have is a one-line input error naming it.
func TestAnonymizeCLI_PolicyMaxLevelsHoldsAColumnDown(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.csv")
	var b strings.Builder
	b.WriteString("年龄,区划\n")
	for i := range 120 {
		fmt.Fprintf(&b, "%d,%s\n", 20+i%40, []string{"610102", "610103", "610104", "610112"}[i%4])
	}
	if err := os.WriteFile(in, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(levels string) (int, map[string]any, string) {
		pol := filepath.Join(dir, "policy.json")
		os.WriteFile(pol, []byte(`{"columns": {"年龄": {"role": "quasi", "hierarchy": "interval:5,10,20"},
		  "区划": {"role": "quasi", "hierarchy": "division"}}, "k": 5`+levels+`}`), 0o644)
		code, stdout, stderr := runAnonymizeCLI(t, "--out", filepath.Join(dir, "out.csv"), "--policy", pol, "--json", in)
		var rep map[string]any
		if code == 0 {
			if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
				t.Fatal(err)
			}
		}
		return code, rep, stderr
	}
	code, free, stderr := run("")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	age := free["transformation"].(map[string]any)["年龄"].(float64)
	if age < 1 {
		t.Fatalf("without max_levels age is at level %v; the test needs it generalized", age)
	}
	code, held, stderr := run(fmt.Sprintf(`, "max_levels": {"年龄": %d}`, int(age)-1))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if got := held["transformation"].(map[string]any)["年龄"].(float64); got > age-1 {
		t.Errorf("age released at level %v, above max_levels %v", got, age-1)
	}
	if held["min_class_size"].(float64) < 5 {
		t.Errorf("min class size %v < k", held["min_class_size"])
	}
	code, _, stderr = run(`, "max_levels": {"年龄": 9}`)
	if code != 2 || !strings.Contains(stderr, "max_levels.年龄") || strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
		t.Errorf("a level above the hierarchy: exit %d, %q; want 2 and one line naming max_levels.年龄", code, stderr)
	}
}
