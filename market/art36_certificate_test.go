package market

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// provenCert is a certificate gate result as if ProveCertificate had
// checked it: for the tests of the Art. 36 rules.
func provenCert(passed bool, level string) *CertificateGate {
	return &CertificateGate{Passed: passed, Level: level, proven: true}
}

// byteSigner is a stand-in for the platform key: a "signature" is the
// body's bytes reversed; anything else does not verify.
type byteSigner struct{}

func (byteSigner) sign(b []byte) []byte {
	out := make([]byte, len(b))
	for i := range b {
		out[len(b)-1-i] = b[i]
	}
	return out
}

func (s byteSigner) VerifyBytes(data, sig []byte) error {
	if !bytes.Equal(s.sign(data), sig) {
		return errors.New("bad signature")
	}
	return nil
}

func certBody(passed bool, level, sha string, n int64) []byte {
	return []byte(fmt.Sprintf(`{"certificate_version": 1, "passed": %t, "level": %q, "release": {"name": "r.csv", "bytes": %d, "sha256": %q}}`, passed, level, n, sha))
}

const listedSHA = "4bb69a4fe1fd9b1d06325c5942915dcf0553cc1b4a964ded9ff95f2aea3f8255"

func TestProveCertificate_TianjinArt29_OnlySignedCertificatesOfTheListedReleaseCount(t *testing.T) {
	v := byteSigner{}
	good := certBody(true, "L3", listedSHA, 1200)
	listed := ArtifactDigest{SHA256: listedSHA, Bytes: 1200}
	cases := []struct {
		name      string
		body, sig []byte
		listed    ArtifactDigest
		code      string
	}{
		{"a signed certificate of the listed release is proof", good, v.sign(good), listed, ""},
		{"a certificate whose signature does not verify is not", good, v.sign(certBody(true, "L4", listedSHA, 1200)), listed, "certificate_signature_invalid"},
		{"a changed certificate is not", certBody(true, "L4", listedSHA, 1200), v.sign(good), listed, "certificate_signature_invalid"},
		{"a certificate of another release is not", good, v.sign(good), ArtifactDigest{SHA256: strings.Repeat("ab", 32)}, "certificate_release_mismatch"},
		{"a certificate of a release of another size is not", good, v.sign(good), ArtifactDigest{SHA256: listedSHA, Bytes: 99}, "certificate_release_mismatch"},
		{"a signed body that is no certificate is not", []byte(`[1]`), v.sign([]byte(`[1]`)), listed, "certificate_invalid"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g, err := ProveCertificate(v, c.body, c.sig, c.listed)
			if c.code == "" {
				if err != nil || !g.proven || !g.Passed || g.Level != "L3" {
					t.Fatalf("got %+v, %v; want a proven L3", g, err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Code != c.code || e.Article != ArticleTianjin29 || g == nil || g.proven {
				t.Fatalf("got %+v, %v; want refused %s citing Tianjin Art. 29", g, err, c.code)
			}
			l := Listing{ContainsPersonalInfo: true}
			res := Gate(&l, g, DefaultRuleSet(), gateAt)
			if res.Decision != DecisionBlocked || res.Violations[0].Rule != RuleCertificateNotProof || res.Violations[0].Article != ArticleTianjin29 {
				t.Fatalf("gate %+v, want blocked by %s first", res, RuleCertificateNotProof)
			}
		})
	}
}

func TestCertificateOnRecord_TianjinArt29_RecordMustMatchSignedBody(t *testing.T) {
	v := byteSigner{}
	body := certBody(true, "L3", listedSHA, 0)
	rec := func(level string, sig []byte) *Certificate {
		return &Certificate{Body: body, Signature: string(sig), Passed: true, Level: level}
	}
	if g, err := CertificateOnRecord(v, rec("L3", v.sign(body)), ArtifactDigest{SHA256: listedSHA}); err != nil || !g.proven {
		t.Fatalf("matching record: %+v %v", g, err)
	}
	if _, err := CertificateOnRecord(v, rec("L4", v.sign(body)), ArtifactDigest{SHA256: listedSHA}); err == nil {
		t.Fatal("a record claiming L4 over an L3 body was accepted")
	}
	if _, err := CertificateOnRecord(v, rec("L3", v.sign(body)), ArtifactDigest{SHA256: strings.Repeat("0", 64)}); err == nil {
		t.Fatal("a certificate of another artifact was accepted")
	}
	for name, c := range map[string]struct {
		v   SignatureVerifier
		sig []byte
	}{
		"a record whose signature does not verify": {v, v.sign([]byte("another body"))},
		"a record with no signature":               {v, nil},
		"a store given no platform key":            {nil, v.sign(body)},
	} {
		var e *Error
		if g, err := CertificateOnRecord(c.v, rec("L3", c.sig), ArtifactDigest{SHA256: listedSHA}); !errors.As(err, &e) ||
			e.Code != "certificate_signature_invalid" || e.Article != ArticleTianjin29 || g.proven {
			t.Errorf("%s: got %+v, %v; want refused certificate_signature_invalid citing Tianjin Art. 29", name, g, err)
		}
	}
}
