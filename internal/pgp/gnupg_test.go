package pgp

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// GnuPG, the tool most buyers decrypt with, reads what Encrypt writes:
// the plaintext comes back and the platform's signature is good.
func TestEncrypt_GnuPGDecryptsAndVerifiesThePlatformSignature(t *testing.T) {
	gpg, err := exec.LookPath("gpg")
	if err != nil {
		t.Skip("gpg is not installed (apt-get install gnupg); the go-crypto round trips are tested without it")
	}
	p, b, _ := mustKeys(t)
	home := filepath.Join(t.TempDir(), "gnupg")
	if err := os.Mkdir(home, 0o700); err != nil {
		t.Fatal(err)
	}
	run := func(stdin []byte, args ...string) (string, string, error) {
		cmd := exec.Command(gpg, append([]string{"--homedir", home, "--batch", "--no-tty"}, args...)...)
		cmd.Stdin = bytes.NewReader(stdin)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		return out.String(), errb.String(), err
	}
	priv, _ := b.ArmoredPrivate()
	pub, _ := p.ArmoredPublic()
	for _, k := range [][]byte{priv, pub} {
		if _, stderr, err := run(k, "--import"); err != nil {
			t.Fatalf("gpg --import: %v: %s", err, stderr)
		}
	}
	plain := bytes.Repeat([]byte("行政区划,年龄,诊断\n610100,[20,30),哮喘\n"), 20_000)
	var msg bytes.Buffer
	if err := Encrypt(&msg, bytes.NewReader(plain), "order.tar", b.Public(), p); err != nil {
		t.Fatal(err)
	}
	out, stderr, err := run(msg.Bytes(), "--status-fd", "2", "--decrypt")
	if err != nil {
		t.Fatalf("gpg --decrypt: %v: %s", err, stderr)
	}
	if out != string(plain) {
		t.Fatalf("gpg decrypted %d bytes, want %d", len(out), len(plain))
	}
	if !strings.Contains(stderr, "[GNUPG:] GOODSIG") || !strings.Contains(stderr, p.Fingerprint()[len(p.Fingerprint())-16:]) {
		t.Fatalf("gpg did not report a good signature by the platform key %s:\n%s", p.Fingerprint(), stderr)
	}
	for _, bad := range []string{"invalid", "WARNING: message was not integrity protected"} {
		if strings.Contains(stderr, bad) {
			t.Fatalf("gpg complained (%q):\n%s", bad, stderr)
		}
	}
}
