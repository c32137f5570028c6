package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shujiao/shujiao/anonymizer"
)

// The estimate a run is held to before it reads counts the rows of a file
// from its size and first lines, and the bytes of what the run keeps.
func TestEstimateRun_CountsTheRowsFromTheFileSize(t *testing.T) {
	t.Parallel()
	in := filepath.Join(t.TempDir(), "pop.csv")
	const rows = 60000 // more than the sample holds
	if err := anonymizer.SynthesizeFile(in, rows, 5, anonymizer.FormatCSV); err != nil {
		t.Fatal(err)
	}
	cfg := anonymizer.Config{QuasiIdentifiers: []string{"出生日期", "性别", "行政区划"}, Drop: []string{"身份证号"}, Pseudonymize: []string{"手机号"}}
	est, ok := estimateRun(in, cfg, 0)
	if !ok {
		t.Fatal("no estimate for a CSV file")
	}
	if est.rows < rows*95/100 || est.rows > rows*105/100 {
		t.Errorf("estimated %d rows, want %d within 5 %%", est.rows, rows)
	}
	// nine columns kept, the identifier among them; the read holds the
	// codes of the eight others and the line numbers
	if got, want := est.read/est.rows, int64(8*codeBytes+lineBytes); got != want {
		t.Errorf("read estimate %d bytes a row, want %d", got, want)
	}
	if got, want := est.codes/est.rows, int64(9*2*codeBytes); got != want {
		t.Errorf("codes estimate %d bytes a row, want %d", got, want)
	}
	// phone numbers are distinct: each row holds one and its pseudonym
	if perRow := est.ids / est.rows; perRow < idBytes+pseudonymBytes {
		t.Errorf("identifiers estimated at %d bytes a row, want at least %d", perRow, idBytes+pseudonymBytes)
	}
	if _, ok := estimateRun(filepath.Join(t.TempDir(), "x.parquet"), cfg, 0); ok {
		t.Error("an estimate for a file that is not text")
	}
}

// A run whose input cannot even be read within --memory-limit is stopped
// before the read, saying it estimated so; it writes no release.
func TestAnonymizeCLI_MemoryLimitStopsBeforeTheRead(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	in, out := filepath.Join(dir, "pop.csv"), filepath.Join(dir, "out.csv")
	if err := anonymizer.SynthesizeFile(in, 20000, 3, anonymizer.FormatCSV); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runAnonymizeCLI(t, "--out", out, "--k", "5", "--qi", "性别,学历", "--drop", "身份证号,姓名,手机号", "--memory-limit", "256KiB", in)
	if code == 0 || !strings.Contains(stderr, "--memory-limit 256 KiB") || !strings.Contains(stderr, "estimated from its size") || !strings.Contains(stderr, "raise the limit") {
		t.Fatalf("exit %d, stderr %q; want a stop before the read naming the limit and the estimate", code, stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatalf("a release was written (%v)", err)
	}
}

// A run whose estimate passes half its --memory-limit spills its codes and
// streams the identifier it pseudonymizes into the spill, says so, and
// writes the release the run in memory writes, byte for byte.
func TestAnonymizeCLI_SpilledRunWritesTheSameRelease(t *testing.T) {
	dir := t.TempDir()
	in, key := filepath.Join(dir, "pop.csv"), filepath.Join(dir, "key")
	if err := anonymizer.SynthesizeFile(in, 200000, 9, anonymizer.FormatCSV); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(key, []byte("issue-19-spill-test-key-0000000\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	run := func(out string, extra ...string) string {
		args := append([]string{"--out", out, "--k", "5", "--suppression", "0.05", "--qi", "出生日期,性别,行政区划,职业",
			"--hierarchy", "出生日期=date", "--hierarchy", "行政区划=division", "--drop", "身份证号,姓名",
			"--pseudonymize", "手机号", "--pseudonym-key-file", key}, extra...)
		code, _, stderr := runAnonymizeCLI(t, append(args, in)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", extra, code, stderr)
		}
		return stderr
	}
	want := filepath.Join(dir, "mem.csv")
	run(want)
	got := filepath.Join(dir, "spill.csv")
	if stderr := run(got, "--memory-limit", "96MiB"); !strings.Contains(stderr, "spill to memory-mapped files") {
		t.Fatalf("--memory-limit 96MiB did not spill: %s", stderr)
	}
	a, _ := os.ReadFile(want)
	b, _ := os.ReadFile(got)
	if len(a) == 0 || string(a) != string(b) {
		t.Errorf("the spilled release (%d bytes) differs from the in-memory one (%d bytes)", len(b), len(a))
	}
}
