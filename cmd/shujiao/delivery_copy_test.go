package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/anonymizer/fingerprint"
	"github.com/shujiao/shujiao/internal/trace"
	"github.com/shujiao/shujiao/market"
)

// A fingerprinted copy opens when its manifest (inside the archive the
// platform signed) names the certified release and the copy's own hash;
// a copy altered after sealing, or a manifest naming another release, is
// refused (Tianjin Art. 29: the buyer checks what the platform delivered).
func TestOpenDelivery_TianjinArt29_AFingerprintedCopyOpensAgainstItsManifest(t *testing.T) {
	f := newDeliveryFixture(t)
	rel, format, err := anonymizer.ReadFile(f.release, anonymizer.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	key, _ := fingerprint.OrderKey(bytes.Repeat([]byte{1}, 32), "order-1")
	cp, _, err := fingerprint.Embed(rel, fingerprint.Plan{Shuffle: true}, key)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := anonymizer.WriteTable(&buf, cp, format, anonymizer.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	d, err := anonymizer.DigestFile(f.release)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(buf.Bytes())
	manifest := func(release string) []byte {
		b, _ := json.Marshal(trace.NewManifest(market.DeliveryCopy{ReleaseName: f.rname, ReleaseSHA256: release,
			CopySHA256: hex.EncodeToString(sum[:]), CopySize: int64(buf.Len())}))
		return b
	}
	entries := func(copyBody, man []byte) []tarEntry {
		e := f.entries(t)
		e[0] = tarEntry{f.rname, copyBody}
		return append(e, tarEntry{trace.ManifestName, man})
	}
	altered := bytes.Clone(buf.Bytes())
	altered[len(altered)-2] ^= 1

	out := filepath.Join(t.TempDir(), "order")
	code, stdout, stderr := shujiaoCLI(t, "open-delivery", f.seal(t, f.platform, entries(buf.Bytes(), manifest(d.SHA256))...),
		"--key", f.buyerKeyFile, "--signer", f.platformKeyFile, "--out", out)
	if code != 0 {
		t.Fatalf("open-delivery of a fingerprinted copy: exit %d, %s %s", code, stdout, stderr)
	}
	if got, err := os.ReadFile(filepath.Join(out, f.rname)); err != nil || !bytes.Equal(got, buf.Bytes()) {
		t.Fatalf("the unpacked copy is not the delivered one: %v", err)
	}
	for _, c := range []struct{ name, delivery, want string }{
		{"the copy altered", f.seal(t, f.platform, entries(altered, manifest(d.SHA256))...), "its manifest says"},
		{"the manifest naming another release", f.seal(t, f.platform, entries(buf.Bytes(), manifest(strings.Repeat("0", 64)))...), "the certificate covers"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := shujiaoCLI(t, "open-delivery", c.delivery, "--key", f.buyerKeyFile, "--signer", f.platformKeyFile, "--out", filepath.Join(t.TempDir(), "o"))
			if code != 1 || !strings.Contains(stderr, c.want) {
				t.Fatalf("exit %d, stderr %q; want exit 1 naming %q", code, stderr, c.want)
			}
		})
	}
}
