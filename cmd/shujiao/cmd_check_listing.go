package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/internal/pgp"
	"github.com/shujiao/shujiao/market"
)

// runCheckListing runs the Shaanxi Art. 36 gate offline on a listing
// declaration: shujiao check-listing FILE.json [--at RFC3339] [--json]
// [--certificate FILE --signature SIG --release FILE [--key PUB]] [--ruleset FILE]
// [--dataset FILE] (the data itself, for the content signatures).
// Exit 0 when listable, 1 when blocked or in review (verdict printed), 2 on
// bad input.
func runCheckListing(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags(env, "check-listing", "FILE.json [--at RFC3339] [--json] [--certificate FILE --signature SIG --release FILE [--key PUB]] [--ruleset FILE] [--dataset FILE]")
	atFlag := fs.String("at", "", "judge the listing at this time (RFC 3339; default now)")
	asJSON := fs.Bool("json", false, "print the gate result as JSON")
	certFile := fs.String("certificate", "", "a de-identification certificate (JSON) instead of the declaration's \"certificate\"")
	sigFile := fs.String("signature", "", "the certificate's detached OpenPGP signature")
	releaseFile := fs.String("release", "", "the listed release file the certificate must certify (with --certificate)")
	keyFile := fs.String("key", "", "the platform's public key (default: <data-dir>/keys/platform.pub.asc)")
	dataDir := fs.String("data-dir", platformDataDir(env), "the data directory holding the platform key ($SHUJIAO_DATA_DIR overrides)")
	rulesetFile := fs.String("ruleset", "", "a rule-set file (default: the rule set shipped with Shujiao)")
	datasetFile := fs.String("dataset", "", "the dataset the listing sells (CSV, TSV, JSONL or XLSX): its columns and values are matched against the rule set's content signatures")
	pos, err := parseFlags(fs, args)
	if err != nil {
		if err == errHelp {
			return nil
		}
		return err
	}
	if len(pos) != 1 {
		return usageErrorf("check-listing: want one listing file (or - for standard input), got %d arguments", len(pos))
	}
	at := time.Now().UTC()
	if *atFlag != "" {
		if at, err = time.Parse(time.RFC3339, *atFlag); err != nil {
			return usageErrorf("check-listing: --at %q: want an RFC 3339 time such as 2026-11-23T00:00:00Z", *atFlag)
		}
	}
	rs, err := loadRuleSet(*rulesetFile)
	if err != nil {
		return err
	}
	name, data, err := readInput(env, pos[0])
	if err != nil {
		return err
	}
	l, err := market.ParseListing(data)
	if err != nil {
		return inputError(fmt.Errorf("%s: %w", name, err))
	}
	var cert *market.CertificateGate
	if *certFile != "" || *sigFile != "" {
		if *certFile == "" || *sigFile == "" {
			return usageErrorf("check-listing: --certificate and --signature go together")
		}
		if *releaseFile == "" {
			return usageErrorf("check-listing: --certificate needs --release, the listed release file it must certify")
		}
		if cert, err = provenCertificate(*certFile, *sigFile, *releaseFile, *keyFile, *dataDir); err != nil {
			return err
		}
	}
	if *datasetFile != "" {
		if l.Content, err = datasetContent(*datasetFile, rs); err != nil { // cmd_check_listing_content.go
			return err
		}
	}
	res := market.Gate(&l, cert, rs, at)
	if *asJSON {
		err = writeJSON(env.stdout, res)
	} else {
		err = writeGateResult(env.stdout, name, res)
	}
	if err != nil {
		return err
	}
	if res.Decision != market.DecisionListable {
		return failed("check-listing: %s", res.Decision)
	}
	return nil
}

// readInput reads a named file, or standard input for "-".
func readInput(env *cliEnv, name string) (string, []byte, error) {
	var data []byte
	var err error
	if name == "-" {
		name = "stdin"
		data, err = io.ReadAll(env.stdin)
	} else {
		data, err = os.ReadFile(name)
	}
	if err != nil {
		return name, nil, inputError(fmt.Errorf("%s: %w", name, err))
	}
	return name, data, nil
}

// loadRuleSet reads a rule-set file, or returns the default rule set.
func loadRuleSet(file string) (*market.RuleSet, error) {
	if file == "" {
		return market.DefaultRuleSet(), nil
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, inputError(fmt.Errorf("%s: %w", file, err))
	}
	rs, err := market.ParseRuleSet(data)
	if err != nil {
		return nil, inputError(fmt.Errorf("%s: %w", file, err))
	}
	return rs, nil
}

// provenCertificate reads the certificate, its signature and the listed
// release, and lets market.ProveCertificate judge them (Tianjin Art. 29):
// a certificate whose signature does not verify with the platform key, or
// that certifies another file, counts for nothing and the gate blocks with
// the reason. Unreadable files and a missing key are input errors.
func provenCertificate(certFile, sigFile, releaseFile, keyFile, dataDir string) (*market.CertificateGate, error) {
	body, err := os.ReadFile(certFile)
	if err != nil {
		return nil, inputError(fmt.Errorf("%s: %w", certFile, err))
	}
	sig, err := os.ReadFile(sigFile)
	if err != nil {
		return nil, inputError(fmt.Errorf("%s: %w", sigFile, err))
	}
	rel, err := anonymizer.DigestFile(releaseFile)
	if err != nil {
		return nil, inputError(fmt.Errorf("--release: %w", err))
	}
	var key *pgp.Key
	if keyFile != "" {
		key, err = pgp.LoadKeyFile(keyFile)
	} else {
		key, err = pgp.LoadPlatformPublicKey(dataDir)
	}
	if err != nil {
		return nil, inputError(fmt.Errorf("platform key: %w", err))
	}
	g, _ := market.ProveCertificate(key, body, sig, market.ArtifactDigest{SHA256: rel.SHA256, Bytes: rel.Bytes})
	return g, nil
}

// writeGateResult prints the verdict for a person.
func writeGateResult(w io.Writer, name string, r market.GateResult) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s (rule set %d, at %s)\n", name, r.Decision, r.RuleSetVersion, r.At.Format(time.RFC3339))
	for _, v := range r.Violations {
		src := ""
		if v.Source != nil {
			src = fmt.Sprintf(" [source %d]", *v.Source)
		}
		if len(v.Columns) > 0 {
			src += fmt.Sprintf(" [columns %s]", strings.Join(v.Columns, ", "))
		}
		fmt.Fprintf(&b, "  %-6s %s %s%s: %s\n", v.Effect, v.Article, v.Rule, src, v.Reason)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
