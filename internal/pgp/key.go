package pgp

import (
	"bytes"
	"crypto"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
)

// ErrNoPrivateKey is returned when an operation needs the private half of a
// key (signing, decrypting) and the Key holds only the public half.
var ErrNoPrivateKey = errors.New("pgp: key has no private part")

// Key is one OpenPGP key (an entity: primary signing key, user id,
// encryption subkey), public only or with its private part.
// A Key is safe for concurrent use once loaded.
type Key struct {
	entity *openpgp.Entity
}

// config is the packet configuration for every operation: Ed25519 keys with
// a Curve25519 encryption subkey, SHA-256, AES-256.
func config() *packet.Config {
	return &packet.Config{
		Algorithm:     packet.PubKeyAlgoEdDSA,
		DefaultHash:   crypto.SHA256,
		DefaultCipher: packet.CipherAES256,
	}
}

// Generate creates a new key for name <email>, created now. It returns an
// error when name and email are both empty or generation fails.
func Generate(name, email string) (*Key, error) {
	if strings.TrimSpace(name) == "" && strings.TrimSpace(email) == "" {
		return nil, errors.New("pgp: generate key: a name or an e-mail is required")
	}
	e, err := openpgp.NewEntity(name, "", email, config())
	if err != nil {
		return nil, fmt.Errorf("pgp: generate key for %q <%s>: %w", name, email, err)
	}
	return &Key{entity: e}, nil
}

// ReadKey reads one armored key, public or private (the first entity in r).
// It returns an error when r holds no OpenPGP key.
func ReadKey(r io.Reader) (*Key, error) {
	el, err := openpgp.ReadArmoredKeyRing(r)
	if err != nil {
		return nil, fmt.Errorf("pgp: read armored key: %w", err)
	}
	if len(el) == 0 {
		return nil, errors.New("pgp: read armored key: no key found")
	}
	return &Key{entity: el[0]}, nil
}

// ParsePublicKey reads an armored public key from its text, as a party
// registers it. It returns an error when the text is not an OpenPGP key or
// the key can neither sign nor encrypt now.
func ParsePublicKey(armored string) (*Key, error) {
	k, err := ReadKey(strings.NewReader(armored))
	if err != nil {
		return nil, err
	}
	if _, ok := k.entity.EncryptionKey(time.Now()); !ok {
		return nil, fmt.Errorf("pgp: key %s has no valid encryption key", k.Fingerprint())
	}
	return k, nil
}

// HasPrivate reports whether k holds its private part.
func (k *Key) HasPrivate() bool { return k.entity.PrivateKey != nil }

// Fingerprint returns the primary key's fingerprint in upper-case hex.
func (k *Key) Fingerprint() string {
	return strings.ToUpper(fmt.Sprintf("%x", k.entity.PrimaryKey.Fingerprint))
}

// KeyID returns the 16-hex-digit key id of the primary key.
func (k *Key) KeyID() string { return k.entity.PrimaryKey.KeyIdString() }

// UserID returns the primary identity ("Name <email>"), or "".
func (k *Key) UserID() string {
	if id := k.entity.PrimaryIdentity(); id != nil {
		return id.Name
	}
	return ""
}

// Created returns when the primary key was created.
func (k *Key) Created() time.Time { return k.entity.PrimaryKey.CreationTime }

// Public returns k without its private part (k itself when it has none).
func (k *Key) Public() *Key {
	if !k.HasPrivate() {
		return k
	}
	var buf bytes.Buffer
	if err := k.entity.Serialize(&buf); err != nil {
		return k
	}
	e, err := openpgp.ReadEntity(packet.NewReader(&buf))
	if err != nil {
		return k
	}
	return &Key{entity: e}
}

// ArmoredPublic returns the armored public key ("-----BEGIN PGP PUBLIC KEY
// BLOCK-----"). It returns an error only when serialization fails.
func (k *Key) ArmoredPublic() ([]byte, error) {
	var buf bytes.Buffer
	w, err := armor.Encode(&buf, openpgp.PublicKeyType, nil)
	if err != nil {
		return nil, fmt.Errorf("pgp: armor public key: %w", err)
	}
	if err := k.entity.Serialize(w); err != nil {
		return nil, fmt.Errorf("pgp: serialize public key %s: %w", k.KeyID(), err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("pgp: armor public key: %w", err)
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

// ArmoredPrivate returns the armored private key (unencrypted: guard the
// bytes). It returns ErrNoPrivateKey for a public key.
func (k *Key) ArmoredPrivate() ([]byte, error) {
	if !k.HasPrivate() {
		return nil, ErrNoPrivateKey
	}
	var buf bytes.Buffer
	w, err := armor.Encode(&buf, openpgp.PrivateKeyType, nil)
	if err != nil {
		return nil, fmt.Errorf("pgp: armor private key: %w", err)
	}
	if err := k.entity.SerializePrivateWithoutSigning(w, config()); err != nil {
		return nil, fmt.Errorf("pgp: serialize private key %s: %w", k.KeyID(), err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("pgp: armor private key: %w", err)
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}
