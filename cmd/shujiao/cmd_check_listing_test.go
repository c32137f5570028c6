package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shujiao/shujiao/market"
)

const cliListing = `{"title": "城市出行OD汇总数据", "description": "按区县与小时汇总", "category": "transport", "product_type": "dataset",
 "contains_personal_info": false, "contains_sensitive_personal_info": false, "contains_minors_data": false,
 "classification": "general", "security_assessment_ref": null, "export_intended": false, "state_secret": false,
 "sources": [{"origin": "contract_licensed", "own_data": false, "disclosure": "non_public",
   "authorization": {"grantor": "某某科技", "document_sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
     "scope": ["trading"], "valid_from": "2026-01-01", "valid_to": "2026-12-31"}, "government": null}]}`

func writeFile(tb testing.TB, name, body string) string {
	tb.Helper()
	p := filepath.Join(tb.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		tb.Fatal(err)
	}
	return p
}

func TestCheckListing_ExitCodesFollowTheDecision(t *testing.T) {
	file := writeFile(t, "l.json", cliListing)
	cases := []struct {
		name     string
		args     []string
		code     int
		decision string
		rule     string
	}{
		{"listable while the authorization is valid", []string{file, "--at", "2026-11-23T00:00:00Z", "--json"}, 0, "listable", ""},
		{"Shaanxi Art. 36(1): blocked once the authorization expired", []string{file, "--at", "2027-01-02T00:00:00Z", "--json"}, 1, "blocked", "authorization-expired"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := shujiaoCLI(t, append([]string{"check-listing"}, c.args...)...)
			if code != c.code {
				t.Fatalf("exit %d, want %d: %s%s", code, c.code, stdout, stderr)
			}
			var res struct {
				Decision   string `json:"decision"`
				Violations []struct {
					Rule    string `json:"rule"`
					Article string `json:"article"`
					Source  *int   `json:"source"`
					Reason  string `json:"reason"`
				} `json:"violations"`
				RuleSetVersion int `json:"ruleset_version"`
			}
			if err := json.Unmarshal([]byte(stdout), &res); err != nil {
				t.Fatalf("stdout is not JSON: %v\n%s", err, stdout)
			}
			if res.Decision != c.decision || res.RuleSetVersion != market.DefaultRuleSet().Version {
				t.Errorf("result %+v", res)
			}
			if c.rule != "" && (len(res.Violations) == 0 || res.Violations[0].Rule != c.rule || res.Violations[0].Article != "Shaanxi Art. 36(1)" || res.Violations[0].Source == nil) {
				t.Errorf("violations %+v, want %s citing Shaanxi Art. 36(1) at source 0", res.Violations, c.rule)
			}
		})
	}
}

func TestCheckListing_TextVerdictCitesTheArticle(t *testing.T) {
	file := writeFile(t, "l.json", strings.Replace(cliListing, `"state_secret": false`, `"state_secret": true`, 1))
	code, stdout, _ := shujiaoCLI(t, "check-listing", file, "--at", "2026-11-23T00:00:00Z")
	if code != 1 || !strings.Contains(stdout, "blocked") || !strings.Contains(stdout, "Shaanxi Art. 36(3) state-secret") {
		t.Errorf("exit %d:\n%s", code, stdout)
	}
}

func TestCheckListing_BadInputExitsTwoWithOneLine(t *testing.T) {
	good := writeFile(t, "l.json", cliListing)
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"an unknown origin", []string{writeFile(t, "bad.json", strings.Replace(cliListing, "contract_licensed", "found_on_a_usb_stick", 1))}, "bad.json: sources[0].origin"},
		{"broken JSON", []string{writeFile(t, "broken.json", "{\n\"title\": \n")}, "broken.json: "},
		{"a bad time", []string{good, "--at", "tomorrow"}, "--at"},
		{"a missing file", []string{filepath.Join(t.TempDir(), "none.json")}, "none.json"},
		{"a certificate without its signature", []string{good, "--certificate", good}, "go together"},
		{"an invalid rule set", []string{good, "--ruleset", writeFile(t, "rs.json", `{"version": 0}`)}, "rs.json: "},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := shujiaoCLI(t, append([]string{"check-listing"}, c.args...)...)
			if code != 2 || !strings.Contains(stderr, c.want) || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
				t.Errorf("exit %d, stderr %q; want exit 2 and one line with %q", code, stderr, c.want)
			}
		})
	}
}

func TestCheckListing_TianjinArt29_SignedCertificateIsVerified(t *testing.T) {
	f := newGateFixture(t)
	cert, sig := f.certify(t)
	personal := writeFile(t, "p.json", strings.Replace(cliListing, `"contains_personal_info": false`, `"contains_personal_info": true`, 1))
	args := []string{"check-listing", personal, "--at", "2026-11-23T00:00:00Z", "--json", "--data-dir", f.dataDir}
	if code, stdout, _ := shujiaoCLI(t, args...); code != 1 || !strings.Contains(stdout, "personal-info-without-certificate") {
		t.Fatalf("without a certificate: exit %d\n%s", code, stdout)
	}
	if code, stdout, stderr := shujiaoCLI(t, append(args, "--certificate", cert, "--signature", sig, "--release", f.release)...); code != 0 {
		t.Fatalf("with the signed certificate: exit %d\n%s%s", code, stdout, stderr)
	}
	if code, _, stderr := shujiaoCLI(t, append(args, "--certificate", cert, "--signature", sig)...); code != 2 || !strings.Contains(stderr, "--release") {
		t.Errorf("a certificate without the listed release: exit %d, %q", code, stderr)
	}
	body, _ := os.ReadFile(cert)
	refused := func(name string, extra ...string) {
		t.Helper()
		code, stdout, stderr := shujiaoCLI(t, append(args, extra...)...)
		if code != 1 || !strings.Contains(stdout, `"certificate-not-proof"`) || !strings.Contains(stdout, "Tianjin Art. 29") {
			t.Errorf("%s: exit %d, want 1 blocked by certificate-not-proof citing Tianjin Art. 29\n%s%s", name, code, stdout, stderr)
		}
	}
	forged := writeFile(t, "forged.json", strings.Replace(string(body), `"passed": true`, `"passed":  true`, 1))
	refused("a changed certificate", "--certificate", forged, "--signature", sig, "--release", f.release)
	selfWritten := writeFile(t, "self.json", strings.Replace(string(body), `"level": "L3"`, `"level": "L4"`, 1))
	selfSig := writeFile(t, "self.json.asc", "-----BEGIN PGP SIGNATURE-----\n\nwsBcBAABCAAQBQJ=\n-----END PGP SIGNATURE-----\n")
	refused("a certificate the seller wrote and signed itself", "--certificate", selfWritten, "--signature", selfSig, "--release", f.release)
	refused("a certificate of another file", "--certificate", cert, "--signature", sig, "--release", f.raw)
	inline := writeFile(t, "inline.json", strings.Replace(strings.Replace(cliListing, `"contains_personal_info": false`, `"contains_personal_info": true`, 1),
		`"state_secret": false,`, `"state_secret": false, "certificate": {"passed": true, "level": "L1"},`, 1))
	code, stdout, _ := shujiaoCLI(t, "check-listing", inline, "--at", "2026-11-23T00:00:00Z", "--json", "--data-dir", f.dataDir)
	if code != 1 || !strings.Contains(stdout, `"certificate-not-proof"`) {
		t.Errorf("a certificate declared in the listing (passed, L1): exit %d\n%s", code, stdout)
	}
}

// Shaanxi Art. 36(3): check-listing --dataset finds banned content in the
// data whatever category the listing declares, and names the columns.
func TestCheckListing_ShaanxiArt36_3_ContentFoundInTheDataset(t *testing.T) {
	file := writeFile(t, "l.json", cliListing)
	genome := writeFile(t, "g.csv", "sample,region,seq\n"+
		"S1,610100,ACGTTGCAACGTTGCAACGTTGCAACGTTGCAAC\nS2,610200,GGGTTTAAACCCGGGTTTAAACCCGGGTTTAAAC\nS3,610300,TTTTGGGGCCCCAAAATTTTGGGGCCCCAAAATT\n")
	plain := writeFile(t, "p.csv", "district,hour,trips\n雁塔区,8,1200\n碑林区,9,900\n")
	for _, c := range []struct {
		name, dataset string
		code          int
		decision      string
	}{
		{"genome sequences under category transport are blocked", genome, 1, "blocked"},
		{"aggregated trips are listable", plain, 0, "listable"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := shujiaoCLI(t, "check-listing", file, "--at", "2026-11-23T00:00:00Z", "--json", "--dataset", c.dataset)
			if code != c.code {
				t.Fatalf("exit %d, want %d: %s%s", code, c.code, stdout, stderr)
			}
			var res struct {
				Decision   string `json:"decision"`
				Violations []struct {
					Rule    string   `json:"rule"`
					Article string   `json:"article"`
					Columns []string `json:"columns"`
				} `json:"violations"`
			}
			if err := json.Unmarshal([]byte(stdout), &res); err != nil {
				t.Fatalf("stdout is not JSON: %v\n%s", err, stdout)
			}
			if res.Decision != c.decision {
				t.Fatalf("decision %s, want %s: %s", res.Decision, c.decision, stdout)
			}
			if c.decision == "blocked" {
				v := res.Violations[0]
				if v.Rule != "content-human-genetic-resources" || v.Article != "Shaanxi Art. 36(3)" || len(v.Columns) != 1 || v.Columns[0] != "seq" {
					t.Errorf("violation %+v, want content-human-genetic-resources on column seq", v)
				}
			}
		})
	}
}
