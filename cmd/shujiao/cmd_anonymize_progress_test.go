package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shujiao/shujiao/anonymizer"
)

// --progress=plain writes a line per phase with its rate on stderr, even
// when stderr is not a terminal; none (and auto off a terminal) writes none.
func TestAnonymizeCLI_ProgressPlainNamesPhasesAndRates(t *testing.T) {
	dir := t.TempDir()
	in, out := filepath.Join(dir, "pop.csv"), filepath.Join(dir, "out.csv")
	if err := anonymizer.SynthesizeFile(in, 2000, 3, anonymizer.FormatCSV); err != nil {
		t.Fatal(err)
	}
	args := []string{"--out", out, "--k", "5", "--qi", "性别,学历", "--drop", "身份证号,姓名,手机号"}
	code, _, stderr := runAnonymizeCLI(t, append(args, "--progress", "plain", in)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"bytes (100%)", "read: done, 2000 rows in ", "search: done, 2000 rows", "write: done, 2000 rows", " rows/s)"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("--progress=plain: stderr lacks %q:\n%s", want, stderr)
		}
	}
	for _, mode := range []string{"none", "auto"} {
		code, _, stderr := runAnonymizeCLI(t, append(args, "--progress", mode, in)...)
		if code != 0 || strings.Contains(stderr, "read: ") {
			t.Errorf("--progress=%s: exit %d, stderr %q; want no progress lines", mode, code, stderr)
		}
	}
	if code, _, stderr := runAnonymizeCLI(t, append(args, "--progress", "loud", in)...); code != 2 || !strings.Contains(stderr, "want auto, plain or none") {
		t.Errorf("--progress=loud: exit %d, %q; want a usage error", code, stderr)
	}
}

// A --memory-limit the run cannot keep stops it with a message naming the
// limit, and writes no release; a limit it can keep changes nothing.
func TestAnonymizeCLI_MemoryLimitIsAPromise(t *testing.T) {
	dir := t.TempDir()
	in, out := filepath.Join(dir, "pop.csv"), filepath.Join(dir, "out.csv")
	if err := anonymizer.SynthesizeFile(in, 20000, 3, anonymizer.FormatCSV); err != nil {
		t.Fatal(err)
	}
	args := []string{"--out", out, "--k", "5", "--qi", "性别,学历,出生日期", "--hierarchy", "出生日期=date", "--drop", "身份证号,姓名,手机号"}
	code, _, stderr := runAnonymizeCLI(t, append(args, "--memory-limit", "1MiB", in)...)
	if code == 0 || !strings.Contains(stderr, "--memory-limit 1 MiB") || !strings.Contains(stderr, "raise the limit") {
		t.Fatalf("--memory-limit 1MiB: exit %d, stderr %q; want a stop naming the limit", code, stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatalf("a release was written by a run that broke its memory limit (%v)", err)
	}
	if code, _, stderr := runAnonymizeCLI(t, append(args, "--memory-limit", "1GiB", in)...); code != 0 {
		t.Fatalf("--memory-limit 1GiB: exit %d: %s", code, stderr)
	}
}
