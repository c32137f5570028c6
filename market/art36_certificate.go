package market

import (
	"encoding/json"
	"fmt"
	"strings"
)

// RuleCertificateNotProof: a certificate counts only as the platform's
// signed proof that the listed release passed the irreversibility gate
// (Tianjin Art. 29); one a seller wrote, one whose signature does not
// verify, or one for another file counts for nothing.
const RuleCertificateNotProof = "certificate-not-proof"

// RulePersonalInfoBelowL3: personal information is listed only with a
// proven certificate at level L3 or better — L1 (an identifier present or
// restorable) and L2 (risk above the threshold) still identify someone
// (Tianjin Art. 29).
const RulePersonalInfoBelowL3 = "personal-info-below-l3"

// SignatureVerifier checks a detached signature over data by the platform
// key (internal/pgp's *Key implements it). It returns an error when the
// signature does not verify.
type SignatureVerifier interface {
	VerifyBytes(data, signature []byte) error
}

// ArtifactDigest identifies the listed release file: its SHA-256 (hex) and
// size in bytes (0: not compared).
type ArtifactDigest struct {
	SHA256 string
	Bytes  int64
}

// certificateBody is what the listing gate reads of a certificate's JSON
// (anonymizer.Certificate): the verdict, the level and the release digest.
type certificateBody struct {
	Passed  bool   `json:"passed"`
	Level   string `json:"level"`
	Release struct {
		SHA256 string `json:"sha256"`
		Bytes  int64  `json:"bytes"`
	} `json:"release"`
}

// ProveCertificate accepts a certificate as proof (Tianjin Art. 29) only
// when signature, an OpenPGP signature over the exact bytes of body,
// verifies with the platform key v, and the release the certificate names
// is the listed artifact. It returns the proven gate result, or a
// CertificateGate that counts for nothing together with an ErrRefused
// *Error (code certificate_signature_invalid, certificate_invalid or
// certificate_release_mismatch) saying why; the Art. 36 gate turns the
// latter into a certificate-not-proof violation.
func ProveCertificate(v SignatureVerifier, body, signature []byte, listed ArtifactDigest) (*CertificateGate, error) {
	if v == nil {
		return refusedCertificate("certificate_signature_invalid", "no platform key to verify the certificate's signature with")
	}
	if err := v.VerifyBytes(body, signature); err != nil {
		return refusedCertificate("certificate_signature_invalid",
			"the certificate's signature does not verify with the platform key (a certificate the seller wrote or changed counts for nothing)")
	}
	return certificateOnArtifact(body, listed)
}

// CertificateOnRecord is the server's form of ProveCertificate, for a
// certificate its own de-identification job signed and recorded beside the
// artifact: the recorded signature (armored, detached) must verify over the
// recorded body with the platform key v — a nil v verifies nothing, so the
// certificate counts for nothing — the signed body must name the listed
// artifact, and its verdict and level must be the record's (Tianjin Art. 29).
func CertificateOnRecord(v SignatureVerifier, c *Certificate, listed ArtifactDigest) (*CertificateGate, error) {
	g, err := ProveCertificate(v, c.Body, []byte(c.Signature), listed)
	if err != nil {
		return g, err
	}
	if g.Passed != c.Passed || g.Level != c.Level {
		return refusedCertificate("certificate_invalid", "the certificate's record (passed %t, %s) differs from its signed body (passed %t, %s)",
			c.Passed, c.Level, g.Passed, g.Level)
	}
	return g, nil
}

func certificateOnArtifact(body []byte, listed ArtifactDigest) (*CertificateGate, error) {
	var b certificateBody
	if err := json.Unmarshal(body, &b); err != nil {
		return refusedCertificate("certificate_invalid", "the certificate is not a JSON certificate")
	}
	if LevelRank(b.Level) == 0 {
		return refusedCertificate("certificate_invalid", "the certificate has no level L1…L4")
	}
	sha := strings.ToLower(strings.TrimSpace(b.Release.SHA256))
	switch {
	case sha == "":
		return refusedCertificate("certificate_invalid", "the certificate names no release (release.sha256)")
	case sha != strings.ToLower(strings.TrimSpace(listed.SHA256)):
		return refusedCertificate("certificate_release_mismatch",
			"the certificate certifies release SHA-256 %s, not the listed artifact (SHA-256 %s)", short(sha), short(listed.SHA256))
	case listed.Bytes > 0 && b.Release.Bytes != listed.Bytes:
		return refusedCertificate("certificate_release_mismatch",
			"the certificate certifies a release of %d bytes, the listed artifact has %d", b.Release.Bytes, listed.Bytes)
	}
	return &CertificateGate{Passed: b.Passed, Level: strings.ToUpper(strings.TrimSpace(b.Level)), proven: true}, nil
}

func refusedCertificate(code, format string, a ...any) (*CertificateGate, error) {
	msg := fmt.Sprintf(format, a...)
	return &CertificateGate{refusal: msg}, Refused(ArticleTianjin29, code, "%s (%s)", msg, ArticleTianjin29)
}

func short(sha string) string {
	if len(sha) > 16 {
		return sha[:16] + "…"
	}
	if sha == "" {
		return "(none)"
	}
	return sha
}

// certificateNotProof adds the violation for a certificate given (in the
// listing or beside it) that is not proof, when the listing needs one.
func (g *gateRun) certificateNotProof() {
	l := g.l
	if g.cert == nil || g.cert.proven || !(l.ContainsPersonalInfo || l.ContainsSensitivePersonalInfo || l.ContainsMinorsData) {
		return
	}
	why := g.cert.refusal
	if why == "" {
		why = "the certificate is declared in the listing, not signed by the platform over the listed release; a certificate a seller wrote counts for nothing"
	}
	g.add(EffectBlock, RuleCertificateNotProof, ArticleTianjin29, -1, why)
}
