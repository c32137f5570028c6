package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckRelease_TianjinArt29_OnlyPlatformPseudonymsPass: the platform's
// pseudonymization key (keys init) makes pseudonyms the gate recognises by
// recomputing them; the certificate names the method and key ID, never the
// key; after a rotation the old release still passes; pseudonyms under a
// key of the seller's own fail as restorable.
func TestCheckRelease_TianjinArt29_OnlyPlatformPseudonymsPass(t *testing.T) {
	d := t.TempDir()
	dataDir, raw, pol := filepath.Join(d, "var"), filepath.Join(d, "raw.csv"), filepath.Join(d, "policy.json")
	policy := strings.Replace(gatePolicy, `"手机号": {"role": "identifying"}`, `"手机号": {"role": "identifying", "action": "pseudonymize"}`, 1)
	if err := os.WriteFile(pol, []byte(policy), 0o644); err != nil {
		t.Fatal(err)
	}
	mustCLI := func(args ...string) string {
		t.Helper()
		code, stdout, stderr := shujiaoCLI(t, args...)
		if code != 0 {
			t.Fatalf("shujiao %s: exit %d: %s%s", strings.Join(args, " "), code, stderr, stdout)
		}
		return stdout + stderr
	}
	mustCLI("gen", "--rows", "2000", "--seed", "8", "--out", raw)
	mustCLI("keys", "init", "--data-dir", dataDir)
	rel := filepath.Join(d, "release.csv")
	mustCLI("anonymize", "--policy", pol, "--data-dir", dataDir, "--out", rel, raw)
	cert := filepath.Join(d, "cert.json")
	mustCLI("check-release", "--raw", raw, "--release", rel, "--policy", pol, "--data-dir", dataDir, "--certificate", cert)
	body, err := os.ReadFile(cert)
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		Pseudonymization []struct {
			Column, Method string
			KeyID          string `json:"key_id"`
		} `json:"pseudonymization"`
	}
	if err := json.Unmarshal(body, &c); err != nil {
		t.Fatal(err)
	}
	if len(c.Pseudonymization) != 1 || c.Pseudonymization[0].Column != "手机号" || c.Pseudonymization[0].Method != "hmac-sm3" || !strings.HasPrefix(c.Pseudonymization[0].KeyID, "pk-") {
		t.Fatalf("certificate pseudonymization %+v, want 手机号 by hmac-sm3 under a pk- key", c.Pseudonymization)
	}
	keyFiles, _ := filepath.Glob(filepath.Join(dataDir, "keys", "pseudonym", "pk-*.json"))
	for _, kf := range keyFiles {
		var k struct {
			Secret string `json:"secret_hex"`
		}
		b, _ := os.ReadFile(kf)
		if json.Unmarshal(b, &k) != nil || k.Secret == "" {
			t.Fatalf("key file %s unreadable", kf)
		}
		relBytes, _ := os.ReadFile(rel)
		if strings.Contains(string(body), k.Secret) || strings.Contains(string(relBytes), k.Secret) {
			t.Fatal("the pseudonymization key is written into the certificate or the release")
		}
	}

	t.Run("after a key rotation the old release still passes", func(t *testing.T) {
		mustCLI("keys", "rotate-pseudonym", "--data-dir", dataDir, "--method", "hmac-sha256")
		code, stdout, stderr := shujiaoCLI(t, "check-release", "--raw", raw, "--release", rel, "--policy", pol, "--data-dir", dataDir, "--json")
		if code != 0 {
			t.Fatalf("exit %d: %s %s", code, stderr, stdout)
		}
	})
	t.Run("the same release fails against another platform's key store", func(t *testing.T) {
		other := filepath.Join(d, "other")
		mustCLI("keys", "init", "--data-dir", other)
		code, stdout, _ := shujiaoCLI(t, "check-release", "--raw", raw, "--release", rel, "--policy", pol, "--data-dir", other, "--json")
		if code != 1 || !strings.Contains(stdout, `"restorable"`) || !strings.Contains(stdout, `"level": "L1"`) {
			t.Fatalf("exit %d, want 1 with a restorable reason at L1: %s", code, stdout)
		}
	})
	t.Run("pseudonyms under the seller's own key are restorable", func(t *testing.T) {
		keyFile, own := filepath.Join(d, "own.key"), filepath.Join(d, "own.csv")
		if err := os.WriteFile(keyFile, []byte("the seller's own pseudonym key 2026\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		mustCLI("anonymize", "--policy", pol, "--pseudonym-key-file", keyFile, "--out", own, raw)
		code, stdout, _ := shujiaoCLI(t, "check-release", "--raw", raw, "--release", own, "--policy", pol, "--data-dir", dataDir, "--json")
		var res struct {
			Passed  bool
			Level   string
			Reasons []struct{ Check, Column string }
		}
		if err := json.Unmarshal([]byte(stdout), &res); err != nil {
			t.Fatalf("exit %d: %s", code, stdout)
		}
		if code != 1 || res.Passed || res.Level != "L1" || len(res.Reasons) == 0 || res.Reasons[0].Check != "restorable" || res.Reasons[0].Column != "手机号" {
			t.Fatalf("exit %d %+v, want a restorable failure on 手机号 at L1", code, res)
		}
	})
}
