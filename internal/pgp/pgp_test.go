package pgp

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

var (
	keysOnce           sync.Once
	platform, buyer, x *Key
)

// mustKeys generates three keys once for the package's tests.
func mustKeys(tb testing.TB) (platformKey, buyerKey, otherKey *Key) {
	tb.Helper()
	keysOnce.Do(func() {
		var err error
		if platform, err = Generate("Shujiao platform", "platform@shujiao.test"); err != nil {
			tb.Fatal(err)
		}
		if buyer, err = Generate("Buyer Co.", "buyer@example.test"); err != nil {
			tb.Fatal(err)
		}
		if x, err = Generate("Mallory", "mallory@example.test"); err != nil {
			tb.Fatal(err)
		}
	})
	return platform, buyer, x
}

func TestSign_RoundTripAndTampering(t *testing.T) {
	p, _, other := mustKeys(t)
	data := []byte(`{"passed":true,"level":"L3"}`)
	sig, err := p.SignBytes(data)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(sig, []byte("-----BEGIN PGP SIGNATURE-----")) {
		t.Fatalf("signature is not armored: %q", sig[:30])
	}
	t.Run("the signer's public key verifies the untouched data", func(t *testing.T) {
		if err := p.Public().VerifyBytes(data, sig); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("another key does not verify", func(t *testing.T) {
		if err := other.VerifyBytes(data, sig); !errors.Is(err, ErrBadSignature) {
			t.Fatalf("got %v, want ErrBadSignature", err)
		}
	})
	for i := range data {
		flipped := bytes.Clone(data)
		flipped[i] ^= 0x01
		if err := p.VerifyBytes(flipped, sig); !errors.Is(err, ErrBadSignature) {
			t.Fatalf("data with byte %d flipped: got %v, want ErrBadSignature", i, err)
		}
	}
	t.Run("a flipped byte in the signature body fails", func(t *testing.T) {
		lines := strings.Split(string(sig), "\n")
		// Line 2 is the first base64 line (line 1 is the header, then a blank line).
		body := []byte(lines[2])
		body[10] = map[bool]byte{true: 'B', false: 'A'}[body[10] == 'A']
		lines[2] = string(body)
		if err := p.VerifyBytes(data, []byte(strings.Join(lines, "\n"))); err == nil {
			t.Fatal("tampered signature verified")
		}
	})
	t.Run("an empty signature fails", func(t *testing.T) {
		if err := p.VerifyBytes(data, nil); !errors.Is(err, ErrBadSignature) {
			t.Fatalf("got %v", err)
		}
	})
}

func TestSign_PublicKeyCannotSign(t *testing.T) {
	p, _, _ := mustKeys(t)
	if _, err := p.Public().SignBytes([]byte("x")); !errors.Is(err, ErrNoPrivateKey) {
		t.Fatalf("got %v, want ErrNoPrivateKey", err)
	}
}

func TestEncrypt_RoundTripToBuyerSignedByPlatform(t *testing.T) {
	p, b, other := mustKeys(t)
	plain := []byte("身份证号已删除,年龄,诊断\n[20,30),哮喘\n")
	var msg bytes.Buffer
	if err := Encrypt(&msg, bytes.NewReader(plain), "release.csv", b.Public(), p); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(msg.Bytes(), []byte("哮喘")) {
		t.Fatal("ciphertext contains the plaintext")
	}
	t.Run("the buyer decrypts and the platform signature verifies", func(t *testing.T) {
		got, err := Decrypt(bytes.NewReader(msg.Bytes()), b, p.Public())
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, plain) {
			t.Fatalf("got %q, want %q", got, plain)
		}
	})
	t.Run("another private key cannot decrypt", func(t *testing.T) {
		if _, err := Decrypt(bytes.NewReader(msg.Bytes()), other, p.Public()); err == nil {
			t.Fatal("decrypted with the wrong key")
		}
	})
	t.Run("a signature by another key is refused", func(t *testing.T) {
		if _, err := Decrypt(bytes.NewReader(msg.Bytes()), b, other.Public()); !errors.Is(err, ErrBadSignature) {
			t.Fatalf("got %v, want ErrBadSignature", err)
		}
	})
	t.Run("an unsigned message is refused when a signer is required", func(t *testing.T) {
		var unsigned bytes.Buffer
		if err := Encrypt(&unsigned, bytes.NewReader(plain), "", b.Public(), nil); err != nil {
			t.Fatal(err)
		}
		if _, err := Decrypt(&unsigned, b, p.Public()); !errors.Is(err, ErrBadSignature) {
			t.Fatalf("got %v, want ErrBadSignature", err)
		}
	})
	t.Run("a flipped byte in the message fails", func(t *testing.T) {
		lines := strings.Split(msg.String(), "\n")
		body := []byte(lines[4])
		body[20] = map[bool]byte{true: 'B', false: 'A'}[body[20] == 'A']
		lines[4] = string(body)
		if _, err := Decrypt(strings.NewReader(strings.Join(lines, "\n")), b, p.Public()); err == nil {
			t.Fatal("tampered message decrypted and verified")
		}
	})
}

func TestArmoredPublic_ParsesBackWithoutPrivatePart(t *testing.T) {
	p, _, _ := mustKeys(t)
	pub, err := p.ArmoredPublic()
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(pub, []byte("PRIVATE")) {
		t.Fatal("public export holds a private key block")
	}
	k, err := ParsePublicKey(string(pub))
	if err != nil {
		t.Fatal(err)
	}
	if k.HasPrivate() {
		t.Fatal("parsed public key has a private part")
	}
	if got, want := k.Fingerprint(), p.Fingerprint(); got != want {
		t.Fatalf("fingerprint %s, want %s", got, want)
	}
	if _, err := ParsePublicKey("not a key"); err == nil {
		t.Fatal("garbage parsed as a key")
	}
}

func TestPlatformKey_InitLoadAndNeverOverwrite(t *testing.T) {
	dir := t.TempDir()
	if _, err := LoadPlatformKey(dir); !errors.Is(err, ErrNoPlatformKey) {
		t.Fatalf("empty dir: got %v, want ErrNoPlatformKey", err)
	}
	k, err := InitPlatformKey(dir, "Shujiao", "ops@shujiao.test")
	if err != nil {
		t.Fatal(err)
	}
	priv, pub := PlatformKeyFiles(dir)
	if st, err := os.Stat(priv); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("private key file: %v, mode %v", err, st.Mode())
	}
	if filepath.Dir(pub) != filepath.Join(dir, "keys") {
		t.Fatalf("public key at %s", pub)
	}
	if _, err := InitPlatformKey(dir, "Again", ""); !errors.Is(err, ErrKeyExists) {
		t.Fatalf("second init: got %v, want ErrKeyExists", err)
	}
	loaded, err := LoadPlatformKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	sig, err := loaded.SignBytes([]byte("tree head 42"))
	if err != nil {
		t.Fatal(err)
	}
	pk, err := LoadPlatformPublicKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	if pk.HasPrivate() || pk.Fingerprint() != k.Fingerprint() {
		t.Fatalf("public key file: private=%v fingerprint %s want %s", pk.HasPrivate(), pk.Fingerprint(), k.Fingerprint())
	}
	if err := pk.VerifyBytes([]byte("tree head 42"), sig); err != nil {
		t.Fatal(err)
	}
}
