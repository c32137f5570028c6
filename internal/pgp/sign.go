package pgp

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/ProtonMail/go-crypto/openpgp"
)

// ErrBadSignature is returned (wrapped) when a signature does not verify:
// the data or the signature was changed, or another key made it.
var ErrBadSignature = errors.New("pgp: signature does not verify")

// Sign returns an armored detached signature ("-----BEGIN PGP
// SIGNATURE-----") by k over everything read from data. It returns
// ErrNoPrivateKey when k is public only, or the read error.
func (k *Key) Sign(data io.Reader) ([]byte, error) {
	if !k.HasPrivate() {
		return nil, ErrNoPrivateKey
	}
	var buf bytes.Buffer
	if err := openpgp.ArmoredDetachSign(&buf, k.entity, data, config()); err != nil {
		return nil, fmt.Errorf("pgp: sign with %s: %w", k.KeyID(), err)
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

// SignBytes is Sign over a byte slice.
func (k *Key) SignBytes(data []byte) ([]byte, error) {
	return k.Sign(bytes.NewReader(data))
}

// Verify checks an armored (or binary) detached signature by k over data.
// It returns nil when the signature is good, an error wrapping
// ErrBadSignature when it is not (changed data, changed signature, another
// signer), or another error when the signature cannot be read at all.
func (k *Key) Verify(data io.Reader, signature []byte) error {
	sig := bytes.TrimSpace(signature)
	check := openpgp.CheckDetachedSignature
	if bytes.HasPrefix(sig, []byte("-----BEGIN PGP SIGNATURE-----")) {
		check = openpgp.CheckArmoredDetachedSignature
	}
	if len(sig) == 0 {
		return fmt.Errorf("%w: empty signature", ErrBadSignature)
	}
	_, err := check(openpgp.EntityList{k.entity}, data, bytes.NewReader(sig), config())
	if err != nil {
		return fmt.Errorf("%w (key %s): %w", ErrBadSignature, k.KeyID(), err)
	}
	return nil
}

// VerifyBytes is Verify over a byte slice.
func (k *Key) VerifyBytes(data, signature []byte) error {
	return k.Verify(bytes.NewReader(data), signature)
}
