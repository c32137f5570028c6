package pgp

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// mustShared seals plain once for the platform and gives buyer and other
// their own session key packets; it returns the shared body and the two
// packets.
func mustShared(t *testing.T, plain []byte) (data []byte, buyerPacket, otherPacket []byte) {
	t.Helper()
	p, b, x := mustKeys(t)
	var body bytes.Buffer
	holder, err := SealShared(&body, bytes.NewReader(plain), "release.tar", p.Public(), p)
	if err != nil {
		t.Fatal(err)
	}
	if buyerPacket, err = Rewrap(holder, p, b.Public()); err != nil {
		t.Fatal(err)
	}
	if otherPacket, err = Rewrap(holder, p, x.Public()); err != nil {
		t.Fatal(err)
	}
	return body.Bytes(), buyerPacket, otherPacket
}

// Issue 18: one ciphertext, two recipients, each with a session key packet
// of their own: each decrypts and verifies the platform signature, the
// body is the same bytes for both, a recipient's packet opens nothing for
// another key, and a flipped byte of the shared body fails.
func TestSealShared_EachRecipientOpensTheOneCiphertextWithTheirOwnPacket(t *testing.T) {
	p, b, x := mustKeys(t)
	plain := bytes.Repeat([]byte("行政区划,年龄,诊断\n610100,[20,30),哮喘\n"), 5_000)
	data, bp, xp := mustShared(t, plain)
	for _, c := range []struct {
		name   string
		key    *Key
		packet []byte
	}{{"the buyer", b, bp}, {"the second buyer", x, xp}} {
		var msg bytes.Buffer
		if _, err := ArmorMessage(&msg, c.packet, bytes.NewReader(data)); err != nil {
			t.Fatal(err)
		}
		got, err := Decrypt(&msg, c.key, p.Public())
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !bytes.Equal(got, plain) {
			t.Fatalf("%s decrypted %d bytes, want %d", c.name, len(got), len(plain))
		}
	}
	var msg bytes.Buffer
	if _, err := ArmorMessage(&msg, bp, bytes.NewReader(data)); err != nil {
		t.Fatal(err)
	}
	if _, err := Decrypt(bytes.NewReader(msg.Bytes()), x, p.Public()); err == nil {
		t.Error("the second buyer's key opened the first buyer's packet")
	}
	flipped := append([]byte(nil), data...)
	flipped[len(flipped)/2] ^= 1
	msg.Reset()
	if _, err := ArmorMessage(&msg, bp, bytes.NewReader(flipped)); err != nil {
		t.Fatal(err)
	}
	if _, err := Decrypt(&msg, b, p.Public()); err == nil {
		t.Error("a flipped byte of the shared body decrypted")
	}
	if _, err := Rewrap(bp, p, x.Public()); err == nil {
		t.Error("the platform rewrapped a packet that is not its own")
	}
	if _, err := Rewrap(bp, p.Public(), x.Public()); !errors.Is(err, ErrNoPrivateKey) {
		t.Errorf("rewrap with a public key: %v, want ErrNoPrivateKey", err)
	}
}

// ArmorMessage counts what it writes, and ArmoredSize foretells it: the
// stored size of a delivery, the Content-Length of its download.
func TestArmorMessage_CountsItsBytesAndArmoredSizeForetellsThem(t *testing.T) {
	data, bp, _ := mustShared(t, []byte("a,b\n1,2\n"))
	var msg bytes.Buffer
	n, err := ArmorMessage(&msg, bp, bytes.NewReader(data))
	if err != nil || n != int64(msg.Len()) {
		t.Errorf("ArmorMessage = %d, %v; wrote %d bytes", n, err, msg.Len())
	}
	body := bytes.Repeat([]byte{0xA5}, 5000)
	for size := 0; size <= len(body); size += 1 + size/7 {
		n, err := ArmorMessage(io.Discard, bp, bytes.NewReader(body[:size]))
		if err != nil {
			t.Fatal(err)
		}
		if want := ArmoredSize(int64(len(bp) + size)); n != want {
			t.Fatalf("a %d-byte body armors to %d bytes, ArmoredSize says %d", size, n, want)
		}
	}
}

// GnuPG decrypts a buyer's message made of their packet and the shared
// body, and reports the platform's good signature.
func TestSealShared_GnuPGDecryptsABuyersMessage(t *testing.T) {
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
	data, bp, _ := mustShared(t, plain)
	var msg bytes.Buffer
	if _, err := ArmorMessage(&msg, bp, bytes.NewReader(data)); err != nil {
		t.Fatal(err)
	}
	out, stderr, err := run(msg.Bytes(), "--status-fd", "2", "--decrypt")
	if err != nil {
		t.Fatalf("gpg --decrypt: %v: %s", err, stderr)
	}
	if out != string(plain) {
		t.Fatalf("gpg decrypted %d bytes, want %d", len(out), len(plain))
	}
	if !strings.Contains(stderr, "[GNUPG:] GOODSIG") {
		t.Fatalf("gpg did not report a good signature by the platform key:\n%s", stderr)
	}
	if strings.Contains(stderr, "WARNING: message was not integrity protected") {
		t.Fatalf("gpg complained:\n%s", stderr)
	}
}
