package main

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/internal/pgp"
	"github.com/shujiao/shujiao/internal/trace"
	"github.com/shujiao/shujiao/market"
)

const openDeliverySynopsis = "DELIVERY --key SECRET.asc --out DIR [--passphrase-file F] [--signer PUB] [--data-dir D] [--json]"

// deliveryCertificate and deliverySignature are the archive's certificate
// files (internal/httpapi writes the archive: the release, these two and
// platform-key.asc).
const (
	deliveryCertificate = "certificate.json"
	deliverySignature   = "certificate.json.asc"
)

// runOpenDelivery is the buyer's last step, offline: it decrypts a
// downloaded delivery (GET /v1/downloads/{token}) with the buyer's secret
// key, requires the platform's signature on it, unpacks the archive and
// verifies the de-identification certificate against the release inside
// (Tianjin Art. 29: the buyer can check that what was delivered is what
// the gate certified). Nothing appears under --out unless every check
// passed: the files are unpacked into a temporary directory beside it and
// renamed at the end.
func runOpenDelivery(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags(env, "open-delivery", openDeliverySynopsis)
	keyPath := fs.String("key", "", "the buyer's armored secret key (gpg --export-secret-keys --armor)")
	passFile := fs.String("passphrase-file", "", "file whose first line unlocks --key (default $SHUJIAO_KEY_PASSPHRASE)")
	signerPath := fs.String("signer", "", "the platform's armored public key (default: the platform key under --data-dir)")
	dataDir := fs.String("data-dir", platformDataDir(env), "data directory holding the platform key (default $SHUJIAO_DATA_DIR or ./var)")
	out := fs.String("out", "", "directory to create with the release, the certificate and its signature")
	asJSON := fs.Bool("json", false, "print the verified facts as JSON")
	pos, err := parseFlags(fs, args)
	if err != nil {
		if err == errHelp {
			return nil
		}
		return err
	}
	switch {
	case len(pos) != 1:
		return usageErrorf("open-delivery: want one DELIVERY file (usage: shujiao open-delivery %s)", openDeliverySynopsis)
	case *keyPath == "":
		return usageErrorf("open-delivery: --key is required: the secret key whose public half is registered on your party")
	case *out == "":
		return usageErrorf("open-delivery: --out is required")
	}
	if err := checkNewDir(*out); err != nil {
		return err
	}
	recipient, err := loadSecretKey(env, *keyPath, *passFile)
	if err != nil {
		return err
	}
	var signer *pgp.Key
	if *signerPath != "" {
		signer, err = pgp.LoadKeyFile(*signerPath)
	} else {
		signer, err = pgp.LoadPlatformPublicKey(*dataDir)
		if errors.Is(err, pgp.ErrNoPlatformKey) {
			return inputError(fmt.Errorf("open-delivery: no platform key under %s: give --signer with the platform's published key (shujiao keys export)", *dataDir))
		}
	}
	if err != nil {
		return inputError(fmt.Errorf("open-delivery: signer: %w", err))
	}

	delivery := pos[0]
	msg, err := os.Open(delivery)
	if err != nil {
		return inputError(fmt.Errorf("open-delivery: %w", err))
	}
	defer msg.Close()
	tmp, err := os.MkdirTemp(filepath.Dir(filepath.Clean(*out)), ".open-delivery-*")
	if err != nil {
		return fmt.Errorf("open-delivery: %w", err)
	}
	defer os.RemoveAll(tmp)
	var files []string
	err = pgp.DecryptStream(msg, recipient, signer, func(plain io.Reader) error {
		var uerr error
		files, uerr = untarFlat(ctx, plain, tmp)
		return uerr
	})
	switch {
	case errors.Is(err, pgp.ErrNotRecipient):
		return inputError(fmt.Errorf("open-delivery: %s is not encrypted to --key %s (%s): give the secret key whose public half was registered on your party when the delivery was made",
			delivery, *keyPath, recipient.Fingerprint()))
	case errors.Is(err, pgp.ErrBadSignature):
		return fmt.Errorf("open-delivery: %s: not signed by the platform key %s, or altered in transit: %v", delivery, signer.Fingerprint(), err)
	case err != nil:
		return fmt.Errorf("open-delivery: %s: %w", delivery, err)
	}

	f := func(name string) string { return filepath.Join(tmp, name) }
	for _, name := range []string{deliveryCertificate, deliverySignature} {
		if !slices.Contains(files, name) {
			return fmt.Errorf("open-delivery: %s: the archive has no %s (it holds %s)", delivery, name, strings.Join(files, ", "))
		}
	}
	body, err := os.ReadFile(f(deliveryCertificate))
	if err != nil {
		return fmt.Errorf("open-delivery: %w", err)
	}
	cert, err := parseSignedCertificate(body, f(deliverySignature), signer)
	if err != nil {
		return fmt.Errorf("open-delivery: %s: %w", delivery, err)
	}
	release := cert.Release.Name
	if slices.Contains(files, deliveryContent) {
		// rows chosen from the certified release (issue 16)
		c, err := checkRowsDelivery(tmp, files, cert)
		if err != nil {
			return fmt.Errorf("open-delivery: %s: %w", delivery, err)
		}
		return finishOpenDelivery(env, tmp, *out, delivery, *asJSON, files, recipient, signer, cert, &c)
	}
	if release == "" || !slices.Contains(files, release) || isDeliveryMeta(release) {
		return fmt.Errorf("open-delivery: %s: the archive lacks the certified release %q (it holds %s)", delivery, release, strings.Join(files, ", "))
	}
	if slices.Contains(files, trace.ManifestName) {
		err = checkCopy(f(trace.ManifestName), f(release), cert) // the order's fingerprinted copy of the release
	} else {
		_, err = checkCertificate(f(deliveryCertificate), f(deliverySignature), f(release), signer)
	}
	if err != nil {
		return fmt.Errorf("open-delivery: %s: %w", delivery, err)
	}
	return finishOpenDelivery(env, tmp, *out, delivery, *asJSON, files, recipient, signer, cert, nil)
}

// finishOpenDelivery moves the checked files to out and reports; c is the
// record of the rows delivered, nil for the whole release.
func finishOpenDelivery(env *cliEnv, tmp, out, delivery string, asJSON bool, files []string, recipient, signer *pgp.Key,
	cert *anonymizer.Certificate, c *market.DeliveredContent) error {
	release := cert.Release.Name
	if err := os.Chmod(tmp, 0o755); err != nil {
		return fmt.Errorf("open-delivery: %w", err)
	}
	_ = os.Remove(out) // an empty directory, checked by checkNewDir
	if err := os.Rename(tmp, out); err != nil {
		return fmt.Errorf("open-delivery: %w", err)
	}
	if asJSON {
		v := map[string]any{"valid": true, "out": out, "files": files, "recipient": recipient.Fingerprint(),
			"signer": signer.Fingerprint(), "signer_user_id": signer.UserID(), "release": cert.Release, "level": cert.Level,
			"mode": cert.Mode, "risk": cert.Risk, "issued_at": cert.IssuedAt}
		if c != nil {
			v["content"] = c
		}
		return writeJSON(env.stdout, v)
	}
	if c != nil {
		_, err := fmt.Fprintf(env.stdout, "OK %s: decrypted with key %s, signed by %s (%s); %s holds %d rows (%s, SHA-256 %s) of the certified release %s (SHA-256 %s): level %s, mode %s, issued %s; unpacked into %s\n",
			delivery, recipient.Fingerprint(), signer.Fingerprint(), signer.UserID(), c.File, *c.RowsDelivered, c.Selection, c.SHA256, release, cert.Release.SHA256,
			cert.Level, cert.Mode, cert.IssuedAt.Format("2006-01-02T15:04:05Z"), out)
		return err
	}
	_, err := fmt.Fprintf(env.stdout, "OK %s: decrypted with key %s, signed by %s (%s); release %s (%d bytes, SHA-256 %s) matches its certificate: level %s, mode %s, issued %s; unpacked into %s\n",
		delivery, recipient.Fingerprint(), signer.Fingerprint(), signer.UserID(), release, cert.Release.Bytes, cert.Release.SHA256,
		cert.Level, cert.Mode, cert.IssuedAt.Format("2006-01-02T15:04:05Z"), out)
	return err
}

// loadSecretKey reads the buyer's secret key and unlocks it with the
// passphrase from passFile or $SHUJIAO_KEY_PASSPHRASE when it is protected.
func loadSecretKey(env *cliEnv, path, passFile string) (*pgp.Key, error) {
	key, err := pgp.LoadKeyFile(path)
	if err != nil {
		return nil, inputError(fmt.Errorf("open-delivery: --key: %w", err))
	}
	if !key.HasPrivate() {
		return nil, inputError(fmt.Errorf("open-delivery: --key %s: a public key; give the secret key (gpg --export-secret-keys --armor)", path))
	}
	if !key.Locked() {
		return key, nil
	}
	pass := env.getenv("SHUJIAO_KEY_PASSPHRASE")
	if passFile != "" {
		b, err := os.ReadFile(passFile)
		if err != nil {
			return nil, inputError(fmt.Errorf("open-delivery: --passphrase-file: %w", err))
		}
		pass, _, _ = strings.Cut(string(b), "\n")
		pass = strings.TrimSuffix(pass, "\r")
	}
	if pass == "" {
		return nil, inputError(fmt.Errorf("open-delivery: --key %s is protected by a passphrase: give --passphrase-file or set SHUJIAO_KEY_PASSPHRASE", path))
	}
	if err := key.Unlock([]byte(pass)); err != nil {
		return nil, inputError(fmt.Errorf("open-delivery: --key %s: the passphrase does not unlock it", path))
	}
	return key, nil
}

// parseSignedCertificate verifies the certificate's detached signature
// before trusting any field of it (the release name comes from it).
func parseSignedCertificate(body []byte, sigPath string, signer *pgp.Key) (*anonymizer.Certificate, error) {
	sig, err := os.ReadFile(sigPath)
	if err != nil {
		return nil, err
	}
	if err := signer.VerifyBytes(body, sig); err != nil {
		return nil, fmt.Errorf("%s does not verify with key %s: %w", deliverySignature, signer.Fingerprint(), err)
	}
	return anonymizer.ParseCertificate(body)
}

// checkNewDir accepts a directory that does not exist yet (its parent
// must) or an empty one.
func checkNewDir(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		if st, err := os.Stat(filepath.Dir(filepath.Clean(dir))); err != nil || !st.IsDir() {
			return inputError(fmt.Errorf("open-delivery: --out %s: its parent directory does not exist", dir))
		}
		return nil
	case err != nil:
		return inputError(fmt.Errorf("open-delivery: --out %s: %w", dir, err))
	case len(entries) > 0:
		return inputError(fmt.Errorf("open-delivery: --out %s: not empty; give a new directory", dir))
	}
	return nil
}

// untarFlat writes the regular files of a tar stream into dir and returns
// their names. The delivery archive is flat: an entry with a directory,
// a link, an absolute or parent path, or a name given twice is refused.
func untarFlat(ctx context.Context, r io.Reader, dir string) ([]string, error) {
	tr := tar.NewReader(r)
	var names []string
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return names, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read archive: %w", err)
		}
		name := h.Name
		if h.Typeflag != tar.TypeReg || name == "" || name == "." || name == ".." ||
			strings.ContainsAny(name, `/\`) || filepath.Base(name) != name || slices.Contains(names, name) {
			return nil, fmt.Errorf("archive entry %q: not a plain file of a delivery", name)
		}
		f, err := os.OpenFile(filepath.Join(dir, name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return nil, err
		}
		n, err := io.Copy(f, tr)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return nil, fmt.Errorf("archive entry %q: %w", name, err)
		}
		if n != h.Size {
			return nil, fmt.Errorf("archive entry %q: %d of %d bytes", name, n, h.Size)
		}
		names = append(names, name)
	}
}

func isDeliveryMeta(name string) bool {
	return name == deliveryCertificate || name == deliverySignature || name == "platform-key.asc" || name == trace.ManifestName || name == deliveryContent
}
