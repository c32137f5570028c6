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

// shujiaoCLI runs one shujiao command and returns its exit code, stdout and stderr.
func shujiaoCLI(tb testing.TB, args ...string) (int, string, string) {
	tb.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(""), &out, &errOut)
	return exitCode(err, &errOut), out.String(), errOut.String()
}

const gatePolicy = `{"columns": {"身份证号": {"role": "identifying"}, "姓名": {"role": "identifying"}, "手机号": {"role": "identifying"},
 "性别": {"role": "quasi", "hierarchy": "mask"}, "出生日期": {"role": "quasi", "hierarchy": "date"},
 "行政区划": {"role": "quasi", "hierarchy": "division"}, "职业": {"role": "insensitive"}, "学历": {"role": "insensitive"},
 "收入": {"role": "insensitive"}, "诊断": {"role": "insensitive"}}, "k": 20, "suppression": 0.05}`

// gateFixture generates a population, anonymizes it with k = 20 and creates
// a platform key, all under one temporary directory.
type gateFixture struct {
	dir, dataDir, raw, release, policy, report string
}

func newGateFixture(tb testing.TB) gateFixture {
	tb.Helper()
	d := tb.TempDir()
	f := gateFixture{dir: d, dataDir: filepath.Join(d, "var"), raw: filepath.Join(d, "raw.csv"),
		release: filepath.Join(d, "release.csv"), policy: filepath.Join(d, "policy.json"), report: filepath.Join(d, "report.json")}
	if err := os.WriteFile(f.policy, []byte(gatePolicy), 0o644); err != nil {
		tb.Fatal(err)
	}
	steps := [][]string{
		{"gen", "--rows", "3000", "--seed", "4", "--out", f.raw},
		{"anonymize", "--policy", f.policy, "--out", f.release, "--report", f.report, f.raw},
		{"keys", "init", "--data-dir", f.dataDir, "--name", "Shujiao test platform", "--email", "ops@shujiao.test"},
	}
	for _, s := range steps {
		if code, _, stderr := shujiaoCLI(tb, s...); code != 0 {
			tb.Fatalf("shujiao %s: exit %d: %s", strings.Join(s, " "), code, stderr)
		}
	}
	return f
}

func (f gateFixture) certify(tb testing.TB) (cert, sig string) {
	tb.Helper()
	cert, sig = filepath.Join(f.dir, "cert.json"), filepath.Join(f.dir, "cert.json.asc")
	code, _, stderr := shujiaoCLI(tb, "check-release", "--raw", f.raw, "--release", f.release, "--policy", f.policy,
		"--report", f.report, "--certificate", cert, "--signature", sig, "--data-dir", f.dataDir)
	if code != 0 {
		tb.Fatalf("check-release: exit %d: %s", code, stderr)
	}
	return cert, sig
}

func TestCheckRelease_TianjinArt29_K20ReleaseIsCertifiedAndVerifies(t *testing.T) {
	f := newGateFixture(t)
	code, stdout, _ := shujiaoCLI(t, "check-release", "--raw", f.raw, "--release", f.release, "--policy", f.policy, "--json")
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, stdout)
	}
	var res struct {
		Passed  bool            `json:"passed"`
		Level   string          `json:"level"`
		Risk    float64         `json:"risk"`
		Reasons json.RawMessage `json:"reasons"`
	}
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatal(err)
	}
	if !res.Passed || (res.Level != "L3" && res.Level != "L4") || res.Risk > 0.05 || string(res.Reasons) != "[]" {
		t.Fatalf("result %+v", res)
	}
	cert, sig := f.certify(t)
	body, err := os.ReadFile(cert)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"anonymizer_report": {`, `"policy": {`, `"gate": {`, `"sha256"`, `"level": "L3"`} {
		if !strings.Contains(string(body), key) {
			t.Errorf("certificate lacks %s", key)
		}
	}
	code, stdout, stderr := shujiaoCLI(t, "verify-certificate", cert, "--signature", sig, "--release", f.release, "--data-dir", f.dataDir)
	if code != 0 || !strings.HasPrefix(stdout, "OK ") {
		t.Fatalf("verify: exit %d: %s%s", code, stdout, stderr)
	}
	t.Run("verifies with the exported public key given by --key", func(t *testing.T) {
		code, pub, _ := shujiaoCLI(t, "keys", "export", "--data-dir", f.dataDir)
		if code != 0 || !strings.HasPrefix(pub, "-----BEGIN PGP PUBLIC KEY BLOCK-----") {
			t.Fatalf("keys export: exit %d: %q", code, pub)
		}
		keyFile := filepath.Join(f.dir, "platform.asc")
		os.WriteFile(keyFile, []byte(pub), 0o644)
		if code, out, errOut := shujiaoCLI(t, "verify-certificate", cert, "--signature", sig, "--release", f.release, "--key", keyFile); code != 0 {
			t.Fatalf("exit %d: %s%s", code, out, errOut)
		}
	})
}

func TestVerifyCertificate_TamperingFailsWithOneLine(t *testing.T) {
	f := newGateFixture(t)
	cert, sig := f.certify(t)
	flip := func(t *testing.T, path string, at func(b []byte) int) string {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		i := at(b)
		b[i] ^= 0x01
		out := filepath.Join(t.TempDir(), filepath.Base(path))
		if err := os.WriteFile(out, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return out
	}
	other := filepath.Join(t.TempDir(), "other")
	if code, _, errOut := shujiaoCLI(t, "keys", "init", "--data-dir", other); code != 0 {
		t.Fatal(errOut)
	}
	cases := []struct {
		name                 string
		cert, sig, rel, data func(t *testing.T) string
		want                 string
	}{
		{name: "a flipped byte in the certificate fails", want: "does not verify",
			cert: func(t *testing.T) string {
				return flip(t, cert, func(b []byte) int { return bytes.Index(b, []byte(`"level": "L`)) + 11 })
			}},
		{name: "a flipped byte in the signature fails", want: "",
			sig: func(t *testing.T) string {
				return flip(t, sig, func(b []byte) int { return bytes.IndexByte(b[40:], '\n') + 60 })
			}},
		{name: "a flipped byte in the release fails", want: "is not the certified release",
			rel: func(t *testing.T) string { return flip(t, f.release, func(b []byte) int { return len(b) / 2 }) }},
		{name: "another platform's key fails", want: "does not verify",
			data: func(*testing.T) string { return other }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, s, r, d := cert, sig, f.release, f.dataDir
			if tc.cert != nil {
				c = tc.cert(t)
			}
			if tc.sig != nil {
				s = tc.sig(t)
			}
			if tc.rel != nil {
				r = tc.rel(t)
			}
			if tc.data != nil {
				d = tc.data(t)
			}
			code, stdout, stderr := shujiaoCLI(t, "verify-certificate", c, "--signature", s, "--release", r, "--data-dir", d)
			if code != 1 {
				t.Fatalf("exit %d, want 1: %s%s", code, stdout, stderr)
			}
			if lines := strings.Count(strings.TrimSpace(stderr), "\n"); lines != 0 || !strings.Contains(stderr, tc.want) {
				t.Fatalf("stderr %q: want one line saying %q", stderr, tc.want)
			}
		})
	}
}

func TestCheckRelease_TianjinArt29_FailingReleaseGetsNoCertificate(t *testing.T) {
	f := newGateFixture(t)
	cert := filepath.Join(f.dir, "bad-cert.json")
	code, stdout, _ := shujiaoCLI(t, "check-release", "--raw", f.raw, "--release", f.raw, "--policy", f.policy,
		"--certificate", cert, "--data-dir", f.dataDir)
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	if !strings.HasPrefix(stdout, "FAILED") || !strings.Contains(stdout, "identifier") {
		t.Fatalf("verdict not printed: %s", stdout)
	}
	if _, err := os.Stat(cert); !os.IsNotExist(err) {
		t.Fatalf("a certificate was written for a failing release: %v", err)
	}
}

func TestCheckRelease_BadInputExitsTwo(t *testing.T) {
	f := newGateFixture(t)
	cases := []struct {
		name string
		args []string
	}{
		{"missing --release", []string{"--raw", f.raw}},
		{"unknown mode", []string{"--raw", f.raw, "--release", f.release, "--mode", "secret"}},
		{"missing raw file", []string{"--raw", filepath.Join(f.dir, "nope.csv"), "--release", f.release}},
		{"certificate without a platform key", []string{"--raw", f.raw, "--release", f.release, "--certificate", filepath.Join(f.dir, "c.json"), "--data-dir", filepath.Join(f.dir, "empty")}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := shujiaoCLI(t, append([]string{"check-release"}, tc.args...)...)
			if code != 2 || strings.Count(strings.TrimSpace(stderr), "\n") != 0 || stderr == "" {
				t.Fatalf("exit %d stderr %q: want 2 and one line", code, stderr)
			}
		})
	}
}

func TestKeys_InitNeverOverwrites(t *testing.T) {
	d := t.TempDir()
	if code, _, errOut := shujiaoCLI(t, "keys", "init", "--data-dir", d); code != 0 {
		t.Fatal(errOut)
	}
	code, show, _ := shujiaoCLI(t, "keys", "show", "--data-dir", d, "--json")
	if code != 0 || !strings.Contains(show, `"fingerprint"`) {
		t.Fatalf("keys show: %d %s", code, show)
	}
	if code, _, errOut := shujiaoCLI(t, "keys", "init", "--data-dir", d); code != 1 || !strings.Contains(errOut, "already exists") {
		t.Fatalf("second init: exit %d %q", code, errOut)
	}
	if _, again, _ := shujiaoCLI(t, "keys", "show", "--data-dir", d, "--json"); again != show {
		t.Fatal("the key changed after a second init")
	}
}

func TestCheckRelease_TianjinArt29_PublishedPseudonymKeyIsRestorable(t *testing.T) {
	d := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(d, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	raw := write("raw.csv", "身份证号,诊断\n110101199003070011,哮喘\n110101199003074514,胃炎\n")
	rel := write("rel.csv", "诊断,备注\n哮喘,key=our-pseudonym-key-2026\n胃炎,\n")
	key := write("key.txt", "our-pseudonym-key-2026\n")
	code, stdout, stderr := shujiaoCLI(t, "check-release", "--raw", raw, "--release", rel, "--pseudonym-key-file", key, "--json")
	if code != 1 {
		t.Fatalf("exit %d, want 1: %s", code, stderr)
	}
	var res struct {
		Reasons []struct{ Check, Column string } `json:"reasons"`
	}
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Reasons {
		if r.Check == "restorable" && r.Column == "备注" {
			return
		}
	}
	t.Fatalf("no restorable reason on 备注: %s", stdout)
}
