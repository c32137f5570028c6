package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shujiao/shujiao/anonymizer"
)

// mustTraceDemoLeak runs `shujiao trace --json` on the data directory of
// a demo world in which copyPath was delivered for order (of party): a
// 10 % sample of the copy, shuffled, without one column, as XLSX, traces
// to that order; so does the copy itself, and a table that is no copy of
// anything is inconclusive.
func mustTraceDemoLeak(t *testing.T, ctx context.Context, dir, copyPath, order, party string) {
	t.Helper()
	cp, _, err := anonymizer.ReadFile(copyPath, anonymizer.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	keep := []string{}
	for _, h := range cp.Header() {
		if h != "职业" {
			keep = append(keep, h)
		}
	}
	leak, _ := anonymizer.NewTable("leak", keep)
	for _, r := range rng.Perm(cp.Rows())[:cp.Rows()/10] {
		var row []string
		for _, h := range keep {
			row = append(row, cp.Value(r, cp.ColumnIndex(h)))
		}
		leak.AppendRow(row, 0)
	}
	leakPath := filepath.Join(t.TempDir(), "leak.xlsx")
	if err := anonymizer.WriteFileAtomic(leakPath, leak, anonymizer.FormatXLSX, anonymizer.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	stranger := filepath.Join(t.TempDir(), "stranger.csv")
	if err := anonymizer.SynthesizeFile(stranger, 300, 99, anonymizer.FormatCSV); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, file, verdict string
	}{
		{"a 10 % sample, shuffled, a column dropped, as XLSX", leakPath, "traced"},
		{"the copy itself", copyPath, "traced"},
		{"a table no copy came from", stranger, "inconclusive"},
	} {
		var out, errOut bytes.Buffer
		if err := run(ctx, []string{"trace", c.file, "--data-dir", dir, "--json"}, nil, &out, &errOut); err != nil {
			t.Fatalf("%s: shujiao trace: %v\n%s", c.name, err, errOut.String())
		}
		var rep struct {
			Verdict    string `json:"verdict"`
			Candidates []struct {
				OrderID               string  `json:"order_id"`
				PartyID               string  `json:"party_id"`
				Score                 int     `json:"score"`
				FalseMatchProbability float64 `json:"false_match_probability"`
				Named                 bool    `json:"named"`
			} `json:"candidates"`
		}
		if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
			t.Fatalf("%s: %v: %s", c.name, err, out.String())
		}
		if rep.Verdict != c.verdict {
			t.Fatalf("%s: verdict %s, want %s: %s", c.name, rep.Verdict, c.verdict, out.String())
		}
		if c.verdict == "traced" {
			top := rep.Candidates[0]
			if !top.Named || top.OrderID != order || top.PartyID != party || top.FalseMatchProbability >= 1e-6 {
				t.Fatalf("%s: top candidate %+v, want order %s of party %s", c.name, top, order, party)
			}
		}
	}
	var errOut bytes.Buffer
	notTable := filepath.Join(t.TempDir(), "x.csv")
	os.WriteFile(notTable, []byte("\xff\xfe\x00garbage"), 0o600)
	err = run(ctx, []string{"trace", notTable, "--data-dir", dir}, nil, &bytes.Buffer{}, &errOut)
	if code := exitCode(err, &errOut); code != 2 || !strings.Contains(errOut.String(), "not a readable table") {
		t.Errorf("trace of a file that is no table: exit %d, %q; want 2", code, errOut.String())
	}
}
