package pgp

import (
	"bufio"
	"bytes"
	"fmt"
	"io"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
)

// Encrypt writes to w an armored OpenPGP message ("-----BEGIN PGP
// MESSAGE-----") holding plaintext encrypted to the recipient's public key
// and signed by signer (the platform key; nil for an unsigned message).
// name is the file name carried in the message (may be empty). Encrypt
// streams: plaintext is read once and never held whole in memory. It returns
// ErrNoPrivateKey when signer has no private part, or the I/O error.
func Encrypt(w io.Writer, plaintext io.Reader, name string, recipient, signer *Key) error {
	if signer != nil && !signer.HasPrivate() {
		return ErrNoPrivateKey
	}
	// The armor (armor.go) writes whole lines in 32 KiB batches; buffered,
	// a pipe or a socket behind w sees 64 KiB writes.
	bw := bufio.NewWriterSize(w, 64<<10)
	aw, err := newArmor(bw, "PGP MESSAGE")
	if err != nil {
		return fmt.Errorf("pgp: armor message: %w", err)
	}
	var signed *openpgp.Entity
	if signer != nil {
		signed = signer.entity
	}
	hints := &openpgp.FileHints{IsBinary: true, FileName: name}
	pw, err := openpgp.Encrypt(aw, []*openpgp.Entity{recipient.entity}, signed, hints, config())
	if err != nil {
		return fmt.Errorf("pgp: encrypt to %s: %w", recipient.KeyID(), err)
	}
	if _, err := io.Copy(pw, plaintext); err != nil {
		return fmt.Errorf("pgp: encrypt to %s: %w", recipient.KeyID(), err)
	}
	if err := pw.Close(); err != nil {
		return fmt.Errorf("pgp: encrypt to %s: %w", recipient.KeyID(), err)
	}
	if err := aw.Close(); err != nil {
		return fmt.Errorf("pgp: armor message: %w", err)
	}
	if err := bw.WriteByte('\n'); err != nil {
		return err
	}
	return bw.Flush()
}

// Decrypt reads an armored or binary message made by Encrypt, decrypts it
// with recipient's private key and, when signer is not nil, requires a good
// signature by signer. It returns the plaintext, ErrNoPrivateKey when
// recipient is public only, an error wrapping ErrBadSignature when the
// message is unsigned, signed by another key or altered, or the read error.
func Decrypt(message io.Reader, recipient, signer *Key) ([]byte, error) {
	if !recipient.HasPrivate() {
		return nil, ErrNoPrivateKey
	}
	data, err := io.ReadAll(message)
	if err != nil {
		return nil, fmt.Errorf("pgp: read message: %w", err)
	}
	var body io.Reader = bytes.NewReader(data)
	if bytes.HasPrefix(bytes.TrimSpace(data), []byte("-----BEGIN PGP MESSAGE-----")) {
		block, err := armor.Decode(bytes.NewReader(bytes.TrimSpace(data)))
		if err != nil {
			return nil, fmt.Errorf("pgp: read armored message: %w", err)
		}
		body = block.Body
	}
	keyring := openpgp.EntityList{recipient.entity}
	if signer != nil {
		keyring = append(keyring, signer.entity)
	}
	md, err := openpgp.ReadMessage(body, keyring, nil, config())
	if err != nil {
		return nil, fmt.Errorf("pgp: decrypt with %s: %w", recipient.KeyID(), err)
	}
	plain, err := io.ReadAll(md.UnverifiedBody)
	if err != nil {
		if signer != nil && md.IsSigned {
			return nil, fmt.Errorf("%w: %w", ErrBadSignature, err)
		}
		return nil, fmt.Errorf("pgp: decrypt with %s: %w", recipient.KeyID(), err)
	}
	if signer == nil {
		return plain, nil
	}
	switch {
	case !md.IsSigned:
		return nil, fmt.Errorf("%w: message is not signed", ErrBadSignature)
	case md.SignedBy == nil || md.SignedBy.Entity.PrimaryKey.KeyId != signer.entity.PrimaryKey.KeyId:
		return nil, fmt.Errorf("%w: message is signed by key %016X, not %s", ErrBadSignature, md.SignedByKeyId, signer.KeyID())
	case md.SignatureError != nil:
		return nil, fmt.Errorf("%w: %w", ErrBadSignature, md.SignatureError)
	}
	return plain, nil
}
