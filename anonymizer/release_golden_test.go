package anonymizer

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files in testdata")

// goldenPolicies are the policies whose releases must not change when the
// reader, the search or the model checks are rewritten for speed: k alone,
// the README's l-diversity policy, every kind of l-diversity and every
// ground distance of t-closeness.
var goldenPolicies = []struct {
	name      string
	qi        []string
	sensitive []string
	models    Models
}{
	{"k5", []string{"性别", "出生日期", "行政区划", "学历", "收入"}, nil, Models{K: 5, Suppression: 0.05}},
	{"readme-k20-distinct2", []string{"性别", "出生日期", "行政区划", "职业", "学历"}, []string{"收入", "诊断"},
		Models{K: 20, L: &LDiversity{Kind: LDistinct, L: 2}, Suppression: 0.05}},
	{"entropy2", []string{"性别", "出生日期", "行政区划", "学历"}, []string{"诊断"},
		Models{K: 2, L: &LDiversity{Kind: LEntropy, L: 2}, Suppression: 0.05}},
	{"recursive3-2", []string{"性别", "出生日期", "行政区划", "学历"}, []string{"诊断"},
		Models{K: 2, L: &LDiversity{Kind: LRecursive, C: 3, L: 2}, Suppression: 0.05}},
	{"t-ordered-income", []string{"性别", "出生日期", "行政区划", "学历"}, []string{"收入"},
		Models{K: 2, T: 0.3, TDistance: TOrdered, Suppression: 0.05}},
	{"t-equal-diagnosis", []string{"性别", "出生日期", "行政区划", "学历"}, []string{"诊断"},
		Models{K: 2, T: 0.5, TDistance: TEqual, Suppression: 0.1}},
	{"mondrian-distinct2", []string{"性别", "出生日期", "行政区划", "学历"}, []string{"诊断"},
		Models{K: 10, L: &LDiversity{Kind: LDistinct, L: 2}}},
}

// TestReleases_SameBytesAsGolden anonymizes a generated table under each
// golden policy and compares the SHA-256 of the release (CSV) with
// testdata/release_sha256.golden, written by the code before the issue-19
// rewrites (-update rewrites it).
func TestReleases_SameBytesAsGolden(t *testing.T) {
	var src strings.Builder
	if err := Synthesize(&src, 3000, 19, FormatCSV); err != nil {
		t.Fatal(err)
	}
	data := []byte(src.String())
	var got strings.Builder
	for _, p := range goldenPolicies {
		table, err := readDelimited(bufio.NewReader(bytes.NewReader(data)), "pop.csv", 0, int64(len(data)), nil)
		if err != nil {
			t.Fatal(err)
		}
		cfg := Config{QuasiIdentifiers: p.qi, Sensitive: p.sensitive, Drop: []string{"身份证号", "姓名"},
			Pseudonymize: []string{"手机号"}, PseudonymKey: []byte("golden"), Models: p.models,
			Hierarchies: map[string]*Hierarchy{}}
		if strings.HasPrefix(p.name, "mondrian") {
			cfg.Algorithm = AlgorithmMondrian
		}
		specs := map[string]string{"出生日期": "date", "行政区划": "division", "性别": "mask", "职业": "mask",
			"学历": "ordered:小学,初中,中专,高中,大专,本科,硕士,博士", "收入": "interval:5000,10000,50000"}
		for _, col := range p.qi {
			if cfg.Hierarchies[col], err = ResolveHierarchy(table, col, specs[col]); err != nil {
				t.Fatal(err)
			}
		}
		res, err := Anonymize(context.Background(), table, cfg)
		if err != nil {
			t.Fatalf("%s: %v", p.name, err)
		}
		h := sha256.New()
		if err := WriteTable(h, res.Table, FormatCSV, WriteOptions{}); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&got, "%s %s suppressed=%d\n", p.name, hex.EncodeToString(h.Sum(nil)), res.Suppressed)
	}
	path := filepath.Join("testdata", "release_sha256.golden")
	if *updateGolden {
		if err := os.WriteFile(path, []byte(got.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got.String() != string(want) {
		t.Fatalf("releases changed:\ngot\n%swant\n%s", got.String(), want)
	}
}
