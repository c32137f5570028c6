package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/internal/pgp"
)

const verifyCertificateSynopsis = "CERT --signature SIG --release FILE [--key PUB] [--data-dir D] [--json]"

// runVerifyCertificate checks a de-identification certificate offline: its
// detached signature by the platform key (or --key), then the SHA-256 of the
// release file. A tampered certificate, signature or release fails with one
// line and exit code 1; missing files are bad input (exit 2).
func runVerifyCertificate(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags(env, "verify-certificate", verifyCertificateSynopsis)
	sigPath := fs.String("signature", "", "detached OpenPGP signature of the certificate (default CERT.asc)")
	release := fs.String("release", "", "the released file the certificate names")
	keyPath := fs.String("key", "", "armored public key of the signer (default: the platform key under --data-dir)")
	dataDir := fs.String("data-dir", platformDataDir(env), "data directory holding the platform key (default $SHUJIAO_DATA_DIR or ./var)")
	asJSON := fs.Bool("json", false, "print the verified facts as JSON")
	pos, err := parseFlags(fs, args)
	if err != nil {
		if err == errHelp {
			return nil
		}
		return err
	}
	if len(pos) != 1 {
		return usageErrorf("verify-certificate: want one CERT file (usage: shujiao verify-certificate %s)", verifyCertificateSynopsis)
	}
	if *release == "" {
		return usageErrorf("verify-certificate: --release is required")
	}
	certPath := pos[0]
	if *sigPath == "" {
		*sigPath = certPath + ".asc"
	}
	var key *pgp.Key
	if *keyPath != "" {
		key, err = pgp.LoadKeyFile(*keyPath)
	} else {
		key, err = pgp.LoadPlatformPublicKey(*dataDir)
	}
	if err != nil {
		return inputError(fmt.Errorf("verify-certificate: key: %w", err))
	}
	cert, err := checkCertificate(certPath, *sigPath, *release, key)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(env.stdout, map[string]any{"valid": true, "signer": key.Fingerprint(), "signer_user_id": key.UserID(),
			"release": cert.Release, "level": cert.Level, "mode": cert.Mode, "risk": cert.Risk, "issued_at": cert.IssuedAt, "tool": cert.Tool})
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "OK %s: signed by %s (%s); release %s matches (SHA-256 %s); level %s, mode %s, issued %s\n",
		certPath, key.Fingerprint(), key.UserID(), *release, cert.Release.SHA256, cert.Level, cert.Mode, cert.IssuedAt.Format("2006-01-02T15:04:05Z"))
	_, err = env.stdout.Write(b.Bytes())
	return err
}

// checkCertificate verifies the certificate at certPath: its detached
// signature at sigPath by key, that it records a release that passed the
// gate, and the SHA-256 of the release file. Missing files are bad input
// (exit 2); a tampered certificate, signature or release is exit 1.
func checkCertificate(certPath, sigPath, releasePath string, key *pgp.Key) (*anonymizer.Certificate, error) {
	body, err := os.ReadFile(certPath)
	if err != nil {
		return nil, inputError(fmt.Errorf("verify-certificate: %w", err))
	}
	sig, err := os.ReadFile(sigPath)
	if err != nil {
		return nil, inputError(fmt.Errorf("verify-certificate: %w", err))
	}
	if err := key.VerifyBytes(body, sig); err != nil {
		if errors.Is(err, pgp.ErrBadSignature) {
			return nil, fmt.Errorf("verify-certificate: %s: the signature %s does not verify with key %s: the certificate or the signature was changed, or another key signed it",
				certPath, sigPath, key.Fingerprint())
		}
		return nil, fmt.Errorf("verify-certificate: %s: %w", sigPath, err)
	}
	cert, err := anonymizer.ParseCertificate(body)
	if err != nil {
		return nil, fmt.Errorf("verify-certificate: %s: signed, but not a certificate: %w", certPath, err)
	}
	f, err := os.Open(releasePath)
	if err != nil {
		return nil, inputError(fmt.Errorf("verify-certificate: %w", err))
	}
	defer f.Close()
	if err := cert.CheckRelease(f); err != nil {
		if errors.Is(err, anonymizer.ErrReleaseMismatch) {
			return nil, fmt.Errorf("verify-certificate: %s is not the certified release: its SHA-256 differs from the certificate's (the release was changed or another file was given)", releasePath)
		}
		return nil, fmt.Errorf("verify-certificate: %w", err)
	}
	if !cert.Passed {
		return nil, fmt.Errorf("verify-certificate: %s: the certificate records a release that did not pass the gate", certPath)
	}
	return cert, nil
}
