package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runPenaltyCLI runs shujiao penalty with args and returns the exit code,
// stdout and stderr.
func runPenaltyCLI(tb testing.TB, stdin string, args ...string) (int, string, string) {
	tb.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), append([]string{"penalty"}, args...), strings.NewReader(stdin), &out, &errOut)
	code := exitCode(err, &errOut)
	return code, out.String(), errOut.String()
}

func writeCase(tb testing.TB, body string) string {
	tb.Helper()
	p := filepath.Join(tb.TempDir(), "case.json")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		tb.Fatal(err)
	}
	return p
}

const cliCase = `{"party": {"id": "P1", "kind": "organization"},
 "violations": [{"article": "shaanxi-36", "trades": [{"id": "t1", "amount": "12000.00", "refunded": "0.00", "overcharge": "0.00"}],
   "corrected": null, "factors": []}]}`

func TestPenaltyCommand_ShaanxiArt74_JSON(t *testing.T) {
	code, out, errOut := runPenaltyCLI(t, "", writeCase(t, cliCase), "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got struct {
		Violations []map[string]any `json:"violations"`
		TotalFine  string           `json:"total_fine"`
		TotalConf  string           `json:"total_confiscation"`
		Hearing    bool             `json:"hearing_notice"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	v := got.Violations[0]
	for k, want := range map[string]any{"article": "Shaanxi Art. 74", "confiscation": "12000.00", "fine_min": "200000.00", "fine_max": "1000000.00", "fine_recommended": "600000.00", "discretion": "ordinary"} {
		if v[k] != want {
			t.Errorf("violations[0].%s = %v, want %v", k, v[k], want)
		}
	}
	if steps, _ := v["steps"].([]any); len(steps) < 5 {
		t.Errorf("steps = %v, want every step of the computation", v["steps"])
	}
	if got.TotalFine != "600000.00" || got.TotalConf != "12000.00" || !got.Hearing {
		t.Errorf("totals = fine %s, confiscation %s, hearing %v; want 600000.00, 12000.00, true (Shaanxi Art. 77)", got.TotalFine, got.TotalConf, got.Hearing)
	}
}

func TestPenaltyCommand_HumanSummary(t *testing.T) {
	code, out, errOut := runPenaltyCLI(t, cliCase, "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"Shaanxi Art. 74", "for breach of Shaanxi Art. 36", "600000.00 yuan (ordinary band", "Total fine            600000.00 yuan", "Hearing-rights notice due"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
}

func TestPenaltyCommand_BadInputExitsTwoWithOneLine(t *testing.T) {
	badAmount := strings.Replace(cliCase, `"amount": "12000.00"`, `"amount": "12k"`, 1)
	outOfRange := strings.Replace(cliCase, `"factors": []`, `"factors": [], "override": {"fine": "100.00", "reason": "r"}`, 1)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"a bad amount names the file and field", []string{writeCase(t, badAmount)}, "case.json: violations[0].trades[0].amount:"},
		{"an override outside the Art. 74 range names the field", []string{writeCase(t, outOfRange), "--json"}, "case.json: violations[0].override.fine: 100.00 yuan is outside the Shaanxi Art. 74 range"},
		{"broken JSON names the line", []string{writeCase(t, "{\n\"party\": ,}")}, "case.json: line 2, column"},
		{"a missing file names the file", []string{filepath.Join(t.TempDir(), "nope.json")}, "nope.json:"},
		{"no case file is a usage error", nil, "want one case file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runPenaltyCLI(t, "", tt.args...)
			if code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
			if out != "" {
				t.Errorf("stdout = %q, want nothing", out)
			}
			if strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, tt.want) {
				t.Errorf("stderr = %q, want one line containing %q", errOut, tt.want)
			}
		})
	}
}

// TestPenaltyCommand_DocumentedWorkedExample keeps docs/penalties.md true:
// its worked example is testdata/penalty-example.json.
func TestPenaltyCommand_DocumentedWorkedExample(t *testing.T) {
	code, out, errOut := runPenaltyCLI(t, "", filepath.Join("testdata", "penalty-example.json"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"confiscation        11500.00 yuan",
		"recommended fine    320000.00 yuan (lighter band; factors: first_offence, prompt_correction)",
		"recommended fine    86500.00 yuan (heavier band; factors: repeat)",
		"fine proposed       60000.00 yuan",
		"Total confiscation    12100.00 yuan",
		"Total fine            380000.00 yuan",
		"Hearing-rights notice due",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("worked example lacks %q:\n%s", want, out)
		}
	}
}

// TestPenaltyCommand_DecisionsWorkedExample keeps the README's second
// worked example true: one product in two entries is one violation
// (Shaanxi Art. 74), a reduced penalty (Administrative Penalty Law Art.
// 32), no penalty (Art. 33) and an expired limitation (Art. 36).
func TestPenaltyCommand_DecisionsWorkedExample(t *testing.T) {
	code, out, errOut := runPenaltyCLI(t, "", filepath.Join("testdata", "penalty-decisions-example.json"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"Violation 1: Shaanxi Art. 74, for breach of Shaanxi Art. 36 (trades t11, t12, product L-11)",
		"transaction amount  13000.00 yuan",
		"fine range          200000.00–1000000.00 yuan",
		"decision            reduced (Administrative Penalty Law Art. 32",
		"fine proposed       80000.00 yuan",
		"decision            no_penalty (Administrative Penalty Law Art. 33(1)",
		"decision            limitation_expired (Limitation (Administrative Penalty Law Art. 36)",
		"Total confiscation    13000.00 yuan",
		"Total fine            80000.00 yuan",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("decisions example lacks %q:\n%s", want, out)
		}
	}
	if strings.Count(out, "\nViolation ") != 3 {
		t.Errorf("want 3 violations (L-11 once, L-12, L-09):\n%s", out)
	}
}
