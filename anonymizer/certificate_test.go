package anonymizer

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestCertificate_TianjinArt29_OnlyAPassingReleaseIsCertified(t *testing.T) {
	raw := mustPopulation(t, 600, 11)
	rel := mustRelease(t, raw, keep("身份证号"), keep("性别"))
	res := CheckRelease(raw, rel, GateOptions{Policy: synthPolicy()})
	if _, err := NewCertificate(res, FileDigest{}, FileDigest{}, nil, nil, "shujiao test", time.Now()); !errors.Is(err, ErrGateFailed) {
		t.Fatalf("got %v, want ErrGateFailed", err)
	}
}

func TestCertificate_CanonicalRoundTripAndReleaseDigest(t *testing.T) {
	raw := mustPopulation(t, 1000, 12)
	rel := safeRelease(t, raw)
	res := CheckRelease(raw, rel, GateOptions{Policy: synthPolicy()})
	releaseBytes := []byte("性别,出生日期,诊断\n男,1980-1989,健康体检\n")
	rd, err := DigestReader("/tmp/x/release.csv", bytes.NewReader(releaseBytes))
	if err != nil {
		t.Fatal(err)
	}
	if rd.Name != "release.csv" || rd.Bytes != int64(len(releaseBytes)) {
		t.Fatalf("digest %+v", rd)
	}
	report := []byte(`{"rows_in": 1000, "transformation": {"age": 2}}`)
	c, err := NewCertificate(res, FileDigest{Name: "raw.csv", SHA256: strings.Repeat("ab", 32)}, rd, synthPolicy(), report, "shujiao 0.1.0", time.Date(2026, 11, 23, 8, 0, 0, 5, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	a, err := c.Canonical()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := c.Canonical()
	if !bytes.Equal(a, b) {
		t.Fatal("canonical bytes differ between two calls")
	}
	for _, key := range []string{`"passed": true`, `"level": "L3"`, `"sha256": "` + rd.SHA256, `"anonymizer_report"`, `"policy"`, `"tool": "shujiao 0.1.0"`, `"issued_at": "2026-11-23T08:00:00Z"`} {
		if !bytes.Contains(a, []byte(key)) {
			t.Errorf("certificate lacks %s", key)
		}
	}
	back, err := ParseCertificate(a)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := back.Canonical()
	if !bytes.Equal(a, again) {
		t.Fatalf("parse and re-encode changed the bytes:\n%s\n---\n%s", a, again)
	}
	t.Run("the certified release matches", func(t *testing.T) {
		if err := back.CheckRelease(bytes.NewReader(releaseBytes)); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("a release with one byte flipped does not", func(t *testing.T) {
		changed := bytes.Clone(releaseBytes)
		changed[len(changed)-2] ^= 1
		if err := back.CheckRelease(bytes.NewReader(changed)); !errors.Is(err, ErrReleaseMismatch) {
			t.Fatalf("got %v, want ErrReleaseMismatch", err)
		}
	})
	t.Run("a certificate followed by more data is refused", func(t *testing.T) {
		for _, tail := range []string{`{"certificate_version":1}`, `x`, `]`, `"`} {
			if _, err := ParseCertificate(append(bytes.Clone(a), tail...)); err == nil {
				t.Errorf("a certificate followed by %q parsed", tail)
			}
		}
		if _, err := ParseCertificate(append(bytes.Clone(a), " \n\t"...)); err != nil {
			t.Errorf("a certificate followed by white space: %v", err)
		}
	})
	t.Run("a document that is not a certificate is refused", func(t *testing.T) {
		for _, doc := range []string{`{}`, `{"certificate_version": 2}`, `not json`, `{"certificate_version":1,"extra":1}`} {
			if _, err := ParseCertificate([]byte(doc)); err == nil {
				t.Errorf("%s parsed as a certificate", doc)
			}
		}
	})
}
