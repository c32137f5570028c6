package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/shujiao/shujiao/anonymizer"
)

// csvOf reads a table file and writes it back as CSV, for comparing the
// content of files in different formats.
func csvOf(tb testing.TB, path string) []byte {
	tb.Helper()
	t, _, err := anonymizer.ReadFile(path, anonymizer.ReadOptions{})
	if err != nil {
		tb.Fatal(err)
	}
	var b bytes.Buffer
	if err := anonymizer.WriteTable(&b, t, anonymizer.FormatCSV, anonymizer.WriteOptions{}); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

func TestAnonymizeCLI_ParquetInputGivesTheCSVReleaseAndTheSameTianjinArt29GateDecision(t *testing.T) {
	f := newGateFixture(t)
	rawPQ := filepath.Join(f.dir, "raw.parquet")
	raw, _, err := anonymizer.ReadFile(f.raw, anonymizer.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := anonymizer.WriteFileAtomic(rawPQ, raw, anonymizer.FormatParquet, anonymizer.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	relPQ, relCSV := filepath.Join(f.dir, "release.parquet"), filepath.Join(f.dir, "from-parquet.csv")
	for _, out := range []string{relPQ, relCSV} {
		if code, _, stderr := shujiaoCLI(t, "anonymize", "--policy", f.policy, "--out", out, rawPQ); code != 0 {
			t.Fatalf("anonymize %s: exit %d: %s", out, code, stderr)
		}
	}
	if b, _ := os.ReadFile(relPQ); !bytes.HasPrefix(b, []byte("PAR1")) {
		t.Fatalf("%s is not a Parquet file", relPQ)
	}
	want, err := os.ReadFile(f.release)
	if err != nil {
		t.Fatal(err)
	}
	if got := csvOf(t, relPQ); !bytes.Equal(got, want) {
		t.Errorf("the Parquet release of the Parquet table differs from the CSV release of the CSV table")
	}
	if got, _ := os.ReadFile(relCSV); !bytes.Equal(got, want) {
		t.Errorf("the CSV release of the Parquet table differs from the CSV release of the CSV table")
	}

	gate := func(raw, rel string) map[string]any {
		code, stdout, stderr := shujiaoCLI(t, "check-release", "--raw", raw, "--release", rel, "--policy", f.policy, "--json")
		if code != 0 {
			t.Fatalf("check-release %s: exit %d: %s", rel, code, stderr)
		}
		var res map[string]any
		if err := json.Unmarshal([]byte(stdout), &res); err != nil {
			t.Fatal(err)
		}
		return res
	}
	fromCSV, fromPQ := gate(f.raw, f.release), gate(rawPQ, relPQ)
	for _, k := range []string{"passed", "level", "risk", "reasons", "min_class_size"} {
		a, _ := json.Marshal(fromCSV[k])
		b, _ := json.Marshal(fromPQ[k])
		if !bytes.Equal(a, b) {
			t.Errorf("gate %s: CSV %s, Parquet %s", k, a, b)
		}
	}
	if fromPQ["passed"] != true {
		t.Errorf("the k = 20 release read from Parquet did not pass: %v", fromPQ["reasons"])
	}

	_, detCSV, _ := shujiaoCLI(t, "detect", "--json", f.raw)
	_, detPQ, _ := shujiaoCLI(t, "detect", "--json", rawPQ)
	if detCSV == "" || !bytes.Equal(bytes.ReplaceAll([]byte(detPQ), []byte("raw.parquet"), []byte("raw.csv")), []byte(detCSV)) {
		t.Errorf("detect reads the Parquet table differently:\nCSV:     %.300s\nParquet: %.300s", detCSV, detPQ)
	}
}

func TestAnonymizeCLI_CorruptParquetIsABadInputNamingTheFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "broken.parquet")
	if err := os.WriteFile(p, []byte("PAR1 this is not a parquet file PAR1"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := shujiaoCLI(t, "detect", p)
	if code != 2 || !bytes.Contains([]byte(stderr), []byte("broken.parquet")) {
		t.Fatalf("exit %d, stderr %q; want exit 2 naming the file", code, stderr)
	}
}
