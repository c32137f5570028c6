package anonymizer

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// CertificateVersion is the version of the certificate's JSON schema.
const CertificateVersion = 1

// ErrGateFailed is returned by NewCertificate for a release that did not
// pass the gate: only a passing release is certified.
var ErrGateFailed = errors.New("the release did not pass the irreversibility gate (Tianjin Art. 29): no certificate")

// ErrReleaseMismatch is returned (wrapped) by Certificate.CheckRelease when
// a file is not the release the certificate names.
var ErrReleaseMismatch = errors.New("release file does not match the certificate")

// FileDigest identifies a file by its SHA-256.
type FileDigest struct {
	// Name is the file's base name (no directories, which are local).
	Name   string `json:"name"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
}

// DigestReader reads r to its end and returns its digest under name.
func DigestReader(name string, r io.Reader) (FileDigest, error) {
	h := sha256.New()
	n, err := io.Copy(h, r)
	if err != nil {
		return FileDigest{}, fmt.Errorf("digest %s: %w", name, err)
	}
	return FileDigest{Name: filepath.Base(name), Bytes: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// DigestFile returns the digest of the file at path.
func DigestFile(path string) (FileDigest, error) {
	f, err := os.Open(path)
	if err != nil {
		return FileDigest{}, fmt.Errorf("digest: %w", err)
	}
	defer f.Close()
	return DigestReader(path, f)
}

// Certificate is a de-identification certificate: the proof, signed by the
// platform key, that a release passed the irreversibility gate of Tianjin
// Art. 29 — which policy made it, what the anonymizer reported, the gate's
// verdict and GB/T 42460-2023 effect level, and the SHA-256 of the raw and
// released files, by which tool and when.
type Certificate struct {
	Version int    `json:"certificate_version"`
	Subject string `json:"subject"`
	Article string `json:"article"`
	// Tool is the program and version that checked the release.
	Tool     string     `json:"tool"`
	IssuedAt time.Time  `json:"issued_at"`
	Mode     Mode       `json:"mode"`
	Level    Level      `json:"level"`
	Passed   bool       `json:"passed"`
	Risk     float64    `json:"risk"`
	Raw      FileDigest `json:"raw"`
	Release  FileDigest `json:"release"`
	Policy   *Policy    `json:"policy"`
	// Pseudonymization names, for each release column the gate recognised
	// as a platform pseudonym, the method and the platform key ID (never
	// the key): with the platform's key store, the certificate's pseudonyms
	// still verify after the key is rotated.
	Pseudonymization []PseudonymUse `json:"pseudonymization,omitempty"`
	// AnonymizerReport is the anonymizer's JSON report, as it was written.
	AnonymizerReport json.RawMessage `json:"anonymizer_report,omitempty"`
	Gate             *GateResult     `json:"gate"`
}

// NewCertificate certifies a release that passed the gate. policy and report
// may be nil. It returns ErrGateFailed when gate did not pass, and an error
// when report is not JSON.
func NewCertificate(gate *GateResult, raw, release FileDigest, policy *Policy, report []byte, tool string, now time.Time) (*Certificate, error) {
	if gate == nil || !gate.Passed {
		return nil, ErrGateFailed
	}
	c := &Certificate{
		Version: CertificateVersion, Subject: "de-identification certificate", Article: articleTianjin29,
		Tool: tool, IssuedAt: now.UTC().Truncate(time.Second), Mode: gate.Mode, Level: gate.Level,
		Passed: gate.Passed, Risk: gate.Risk, Raw: raw, Release: release, Policy: policy, Gate: gate,
		Pseudonymization: gate.PseudonymKeys,
	}
	if len(bytes.TrimSpace(report)) > 0 {
		if !json.Valid(report) {
			return nil, errors.New("certificate: the anonymizer report is not valid JSON")
		}
		c.AnonymizerReport = json.RawMessage(bytes.TrimSpace(report))
	}
	return c, nil
}

// Canonical returns the bytes that are written to the certificate file and
// signed: indented JSON (two spaces, map keys sorted, HTML not escaped) and
// a final newline. The same certificate always gives the same bytes.
func (c *Certificate) Canonical() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(c); err != nil {
		return nil, fmt.Errorf("encode certificate: %w", err)
	}
	return buf.Bytes(), nil
}

// ParseCertificate reads a certificate file. It returns an error when the
// bytes are not a certificate of a known version, or lack the release digest.
func ParseCertificate(b []byte) (*Certificate, error) {
	var c Certificate
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("certificate: %w", err)
	}
	// One document: a second object (or anything) after the first would be
	// bytes the signature covers that no reader of the certificate sees.
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("certificate: data after the JSON object")
	}
	switch {
	case c.Version != CertificateVersion:
		return nil, fmt.Errorf("certificate: certificate_version %d, want %d", c.Version, CertificateVersion)
	case len(c.Release.SHA256) != sha256.Size*2:
		return nil, errors.New("certificate: release.sha256 missing or not a SHA-256")
	case c.Gate == nil:
		return nil, errors.New("certificate: gate result missing")
	}
	return &c, nil
}

// CheckRelease reads the release file's bytes from r and compares their
// SHA-256 with the certificate's. It returns an error wrapping
// ErrReleaseMismatch when they differ, or the read error.
func (c *Certificate) CheckRelease(r io.Reader) error {
	d, err := DigestReader(c.Release.Name, r)
	if err != nil {
		return err
	}
	if d.SHA256 != c.Release.SHA256 || d.Bytes != c.Release.Bytes {
		return fmt.Errorf("%w: SHA-256 %s (%d bytes), certified %s (%d bytes)", ErrReleaseMismatch, d.SHA256, d.Bytes, c.Release.SHA256, c.Release.Bytes)
	}
	return nil
}
