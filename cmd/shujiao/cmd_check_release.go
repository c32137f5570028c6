package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/internal/pgp"
)

const checkReleaseSynopsis = "--raw RAW --release REL [--policy POLICY] [--mode public|agreement|enclave] [--json] " +
	"[--hierarchy col=file|col=generator ...] [--report ANONYMIZER_REPORT] [--salt S ...] [--pseudonym-key-file F] " +
	"[--certificate OUT --signature OUT.asc --data-dir D]"

type checkReleaseFlags struct {
	raw, release, policy, mode, report, cert, sig, dataDir, delimiter, keyFile string
	hierarchies, salts                                                         repeated
	json                                                                       bool
}

// runCheckRelease is the irreversibility gate of Tianjin Art. 29 on the
// command line: exit 0 when the release passes, 1 when it fails (the verdict
// printed), 2 on bad input. With --certificate, a passing release gets a
// de-identification certificate signed by the platform key.
func runCheckRelease(ctx context.Context, env *cliEnv, args []string) error {
	var f checkReleaseFlags
	fs := newFlags(env, "check-release", checkReleaseSynopsis)
	fs.StringVar(&f.raw, "raw", "", "the raw table (CSV, TSV, JSON Lines or XLSX)")
	fs.StringVar(&f.release, "release", "", "the intended release")
	fs.StringVar(&f.policy, "policy", "", "policy file: column roles (else detected), hierarchies, accept_homogeneity")
	fs.StringVar(&f.mode, "mode", "public", "release mode: public (θ ≤ 1/20), agreement (1/5) or enclave (1/3)")
	fs.BoolVar(&f.json, "json", false, "print the gate result as JSON")
	fs.Var(&f.hierarchies, "hierarchy", "col=file (ARX format) or col=generator, to link generalized values; repeatable")
	fs.StringVar(&f.report, "report", "", "the anonymizer's JSON report, embedded in the certificate")
	fs.Var(&f.salts, "salt", "a salt or key an attacker knows (published with the data); repeatable")
	fs.StringVar(&f.keyFile, "pseudonym-key-file", "", "the pseudonym key anonymize used: the gate fails if it appears in the release")
	fs.StringVar(&f.cert, "certificate", "", "when the gate passes, write the signed de-identification certificate here")
	fs.StringVar(&f.sig, "signature", "", "detached OpenPGP signature of the certificate (default CERTIFICATE.asc)")
	fs.StringVar(&f.dataDir, "data-dir", platformDataDir(env), "data directory holding the platform key (default $SHUJIAO_DATA_DIR or ./var)")
	fs.StringVar(&f.delimiter, "delimiter", "", "CSV delimiter of both tables (default: sniffed)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		if err == errHelp {
			return nil
		}
		return err
	}
	if len(pos) != 0 {
		return usageErrorf("check-release: unexpected argument %q (usage: shujiao check-release %s)", pos[0], checkReleaseSynopsis)
	}
	if f.raw == "" || f.release == "" {
		return usageErrorf("check-release: --raw and --release are required")
	}
	mode, err := anonymizer.ParseMode(f.mode)
	if err != nil {
		return usageErrorf("check-release: --mode: %s", err)
	}
	if f.cert != "" && f.sig == "" {
		f.sig = f.cert + ".asc"
	}
	var key *pgp.Key
	if f.cert != "" {
		if key, err = pgp.LoadPlatformKey(f.dataDir); err != nil {
			return inputError(fmt.Errorf("check-release: platform key: %w (run: shujiao keys init --data-dir %s)", err, f.dataDir))
		}
	}
	opt, report, err := checkReleaseInputs(f, mode)
	if err != nil {
		return inputError(err)
	}
	// Tianjin Art. 29: a pseudonym passes only when it is recomputed under a
	// platform key (current or rotated), whatever it looks like.
	if opt.PseudonymKeys, err = platformPseudonymKeys(f.dataDir); err != nil {
		return inputError(fmt.Errorf("check-release: %w", err))
	}
	bar := newProgressBar(env.stderr)
	raw, rel, err := readGateTables(f, bar)
	bar.clear()
	if err != nil {
		return inputError(err)
	}
	for col, spec := range hierarchySpecs(f, opt.Policy) {
		h, err := anonymizer.ResolveHierarchy(raw, col, spec)
		if err != nil {
			return inputError(fmt.Errorf("check-release: %w", err))
		}
		opt.Hierarchies[col] = h
	}
	bar.show("gate", 0, 0, "checks a-d running")
	res := anonymizer.CheckRelease(raw, rel, opt)
	bar.clear()
	if f.json {
		if err := writeJSON(env.stdout, res); err != nil {
			return err
		}
	} else {
		printGateResult(env.stdout, f.release, res)
	}
	if !res.Passed {
		if f.cert != "" {
			fmt.Fprintf(env.stderr, "shujiao: no certificate written: the release failed the gate\n")
		}
		return failed("check-release: %s failed the gate (%s)", f.release, res.Level)
	}
	if f.cert != "" {
		return writeCertificate(env, f, res, opt.Policy, report, key)
	}
	return nil
}

// checkReleaseInputs reads the policy and the anonymizer report.
func checkReleaseInputs(f checkReleaseFlags, mode anonymizer.Mode) (anonymizer.GateOptions, []byte, error) {
	opt := anonymizer.GateOptions{Mode: mode, Salts: f.salts, Hierarchies: map[string]*anonymizer.Hierarchy{}}
	if f.policy != "" {
		p, err := anonymizer.LoadPolicy(f.policy)
		if err != nil {
			return opt, nil, fmt.Errorf("check-release: %w", err)
		}
		opt.Policy = p
	}
	if f.keyFile != "" {
		key, err := os.ReadFile(f.keyFile)
		if err != nil {
			return opt, nil, fmt.Errorf("check-release: --pseudonym-key-file: %w", err)
		}
		opt.SecretKeys = []string{strings.TrimSpace(string(key))}
	}
	var report []byte
	if f.report != "" {
		b, err := os.ReadFile(f.report)
		if err != nil {
			return opt, nil, fmt.Errorf("check-release: --report: %w", err)
		}
		report = b
	}
	return opt, report, nil
}

// readGateTables reads both tables, drawing read progress on bar (nil: none).
func readGateTables(f checkReleaseFlags, bar *progressBar) (raw, rel *anonymizer.Table, err error) {
	var ro anonymizer.ReadOptions
	if bar != nil {
		ro.Progress = func(done, total int64) { bar.show("read", done, total, "bytes") }
	}
	if f.delimiter != "" {
		r := []rune(strings.ReplaceAll(f.delimiter, `\t`, "\t"))
		if len(r) != 1 {
			return nil, nil, fmt.Errorf("check-release: --delimiter %q: want one character", f.delimiter)
		}
		ro.Delimiter = r[0]
	}
	if raw, _, err = anonymizer.ReadFile(f.raw, ro); err != nil {
		return nil, nil, err
	}
	if rel, _, err = anonymizer.ReadFile(f.release, ro); err != nil {
		return nil, nil, err
	}
	return raw, rel, nil
}

// hierarchySpecs returns the hierarchy files and generators to load: the
// policy's files (relative to the policy file), then --hierarchy flags.
// Generator specs in the policy are built by the gate itself.
func hierarchySpecs(f checkReleaseFlags, p *anonymizer.Policy) map[string]string {
	specs := map[string]string{}
	if p != nil {
		for col, cp := range p.Columns {
			if cp.Role != anonymizer.RoleQuasi || cp.Hierarchy == "" || anonymizer.IsGeneratorSpec(cp.Hierarchy) {
				continue
			}
			path := cp.Hierarchy
			if !filepath.IsAbs(path) {
				if _, err := os.Stat(path); err != nil {
					path = filepath.Join(filepath.Dir(f.policy), path)
				}
			}
			specs[col] = path
		}
	}
	for _, h := range f.hierarchies {
		if col, spec, ok := strings.Cut(h, "="); ok {
			specs[col] = spec
		}
	}
	return specs
}

func printGateResult(w io.Writer, release string, res *anonymizer.GateResult) {
	verdict := "PASSED"
	if !res.Passed {
		verdict = "FAILED"
	}
	fmt.Fprintf(w, "%s %s: level %s, mode %s, risk %.4f (threshold %.4f), %d reason(s)\n",
		verdict, release, res.Level, res.Mode, res.Risk, res.Threshold, len(res.Reasons))
	for _, r := range res.Reasons {
		col := r.Column
		if col == "" {
			col = "(release)"
		}
		fmt.Fprintf(w, "  %-11s %s: %s\n", r.Check, col, r.Detail)
	}
}

// writeCertificate writes the certificate and its detached signature, each
// through a temporary file renamed into place.
func writeCertificate(env *cliEnv, f checkReleaseFlags, res *anonymizer.GateResult, p *anonymizer.Policy, report []byte, key *pgp.Key) error {
	rawD, err := anonymizer.DigestFile(f.raw)
	if err != nil {
		return inputError(err)
	}
	relD, err := anonymizer.DigestFile(f.release)
	if err != nil {
		return inputError(err)
	}
	tool := fmt.Sprintf("shujiao %s (commit %s)", version, buildCommit())
	cert, err := anonymizer.NewCertificate(res, rawD, relD, p, report, tool, time.Now())
	if err != nil {
		return inputError(fmt.Errorf("check-release: %s: %w", f.report, err))
	}
	body, err := cert.Canonical()
	if err != nil {
		return err
	}
	sig, err := key.SignBytes(body)
	if err != nil {
		return fmt.Errorf("check-release: sign certificate: %w", err)
	}
	if err := writeCertFile(f.cert, body); err != nil {
		return err
	}
	if err := writeCertFile(f.sig, sig); err != nil {
		return err
	}
	fmt.Fprintf(env.stderr, "certificate %s, signature %s (platform key %s)\n", f.cert, f.sig, key.Fingerprint())
	return nil
}

// writeCertFile writes data to a temporary file beside path and renames it.
func writeCertFile(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
