package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/internal/trace"
)

// checkCopy checks a delivered copy against its manifest and certificate
// (whose signature the caller verified; the manifest came inside the
// archive the platform signed): the manifest names the certified release,
// and the file is the copy the manifest names, byte for byte.
func checkCopy(manifestPath, copyPath string, cert *anonymizer.Certificate) error {
	b, err := os.ReadFile(manifestPath)
	if err != nil {
		return err
	}
	var m trace.Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("%s: %w", trace.ManifestName, err)
	}
	if !strings.EqualFold(m.ReleaseSHA256, cert.Release.SHA256) {
		return fmt.Errorf("%s names release %s, the certificate covers %s", trace.ManifestName, m.ReleaseSHA256, cert.Release.SHA256)
	}
	f, err := os.Open(copyPath)
	if err != nil {
		return err
	}
	defer f.Close()
	d, err := anonymizer.DigestReader(m.ReleaseName, f)
	if err != nil {
		return err
	}
	if !strings.EqualFold(d.SHA256, m.CopySHA256) || d.Bytes != m.CopySize {
		return fmt.Errorf("%w: the delivered copy's SHA-256 is %s, its manifest says %s", anonymizer.ErrReleaseMismatch, d.SHA256, m.CopySHA256)
	}
	return nil
}
