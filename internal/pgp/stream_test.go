package pgp

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestDecryptStream_LargeMessageAndTampering(t *testing.T) {
	p, b, other := mustKeys(t)
	plain := bytes.Repeat([]byte("行政区划,年龄,诊断\n610100,[20,30),哮喘\n"), 50_000) // ~2 MB, many packets
	var msg bytes.Buffer
	if err := Encrypt(&msg, bytes.NewReader(plain), "release.csv", b.Public(), p); err != nil {
		t.Fatal(err)
	}
	read := func(message []byte, recipient, signer *Key) ([]byte, error) {
		var got bytes.Buffer
		err := DecryptStream(bytes.NewReader(message), recipient, signer, func(r io.Reader) error {
			_, err := io.Copy(&got, r)
			return err
		})
		return got.Bytes(), err
	}
	t.Run("armored round trip", func(t *testing.T) {
		got, err := read(msg.Bytes(), b, p.Public())
		if err != nil || !bytes.Equal(got, plain) {
			t.Fatalf("err %v, %d bytes of %d", err, len(got), len(plain))
		}
	})
	t.Run("a consumer that stops early still gets the signature checked", func(t *testing.T) {
		err := DecryptStream(bytes.NewReader(msg.Bytes()), b, p.Public(), func(r io.Reader) error {
			_, err := io.CopyN(io.Discard, r, 10)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	})
	t.Run("signed by another key", func(t *testing.T) {
		if _, err := read(msg.Bytes(), b, other.Public()); !errors.Is(err, ErrBadSignature) {
			t.Fatalf("got %v, want ErrBadSignature", err)
		}
	})
	t.Run("a flipped byte near the end fails", func(t *testing.T) {
		lines := strings.Split(msg.String(), "\n")
		i := len(lines) - 6 // a body line close to the signature
		body := []byte(lines[i])
		body[10] = map[bool]byte{true: 'B', false: 'A'}[body[10] == 'A']
		lines[i] = string(body)
		if _, err := read([]byte(strings.Join(lines, "\n")), b, p.Public()); err == nil {
			t.Fatal("tampered message decrypted and verified")
		}
	})
	t.Run("another private key is told it is not the recipient", func(t *testing.T) {
		if _, err := read(msg.Bytes(), other, p.Public()); !errors.Is(err, ErrNotRecipient) {
			t.Fatalf("got %v, want ErrNotRecipient", err)
		}
	})
	t.Run("a public key cannot decrypt", func(t *testing.T) {
		if _, err := read(msg.Bytes(), b.Public(), p.Public()); !errors.Is(err, ErrNoPrivateKey) {
			t.Fatalf("got %v, want ErrNoPrivateKey", err)
		}
	})
}

func TestProtectUnlock_PassphraseRoundTrip(t *testing.T) {
	b, err := Generate("Buyer Co.", "buyer@example.test") // not the shared key: Protect changes it
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Protect([]byte("秦川 passphrase")); err != nil {
		t.Fatal(err)
	}
	armored, err := b.ArmoredPrivate()
	if err != nil {
		t.Fatal(err)
	}
	k, err := ReadKey(bytes.NewReader(armored))
	if err != nil {
		t.Fatal(err)
	}
	if !k.Locked() {
		t.Fatal("a protected key reads back unlocked")
	}
	if err := DecryptStream(strings.NewReader(""), k, k.Public(), func(io.Reader) error { return nil }); !errors.Is(err, ErrLocked) {
		t.Fatalf("decrypt with a locked key: %v, want ErrLocked", err)
	}
	if err := k.Unlock([]byte("wrong")); !errors.Is(err, ErrLocked) {
		t.Fatalf("wrong passphrase: %v, want ErrLocked", err)
	}
	if err := k.Unlock([]byte("秦川 passphrase")); err != nil || k.Locked() {
		t.Fatalf("unlock: %v, locked %v", err, k.Locked())
	}
}
