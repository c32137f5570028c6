package pgp

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	pgperrors "github.com/ProtonMail/go-crypto/openpgp/errors"
)

// ErrNotRecipient is returned (wrapped) when a message is not encrypted to
// the key given to decrypt it.
var ErrNotRecipient = errors.New("pgp: the message is not encrypted to this key")

// ErrLocked is returned when a private key is protected by a passphrase
// and has not been unlocked.
var ErrLocked = errors.New("pgp: the private key is protected by a passphrase")

// Locked reports whether k's private part (primary key or a subkey) is
// still encrypted with a passphrase.
func (k *Key) Locked() bool {
	if k.entity.PrivateKey != nil && !k.entity.PrivateKey.Dummy() && k.entity.PrivateKey.Encrypted {
		return true
	}
	for _, s := range k.entity.Subkeys {
		if s.PrivateKey != nil && !s.PrivateKey.Dummy() && s.PrivateKey.Encrypted {
			return true
		}
	}
	return false
}

// Unlock decrypts k's private parts with passphrase (as exported by
// `gpg --export-secret-keys`). It returns ErrNoPrivateKey for a public key
// and an error wrapping ErrLocked when the passphrase is wrong.
func (k *Key) Unlock(passphrase []byte) error {
	if !k.HasPrivate() {
		return ErrNoPrivateKey
	}
	if !k.Locked() {
		return nil
	}
	if err := k.entity.DecryptPrivateKeys(passphrase); err != nil {
		return fmt.Errorf("%w: the passphrase does not unlock key %s", ErrLocked, k.KeyID())
	}
	return nil
}

// DecryptStream decrypts an armored or binary message made by Encrypt with
// recipient's private key and hands the plaintext to consume as it is
// read, so a message of any size is never held whole in memory. The
// signature covers the whole plaintext and can only be checked at its
// end: DecryptStream reads what consume leaves unread, then requires a good
// signature by signer. Whatever consume did with the plaintext must
// therefore stay provisional until DecryptStream returns nil.
//
// Errors: ErrNoPrivateKey, ErrLocked (unlock the key first), an error
// wrapping ErrBadSignature when the message is unsigned, signed by another
// key or altered, consume's error, or the read error.
func DecryptStream(message io.Reader, recipient, signer *Key, consume func(plaintext io.Reader) error) error {
	switch {
	case !recipient.HasPrivate():
		return ErrNoPrivateKey
	case recipient.Locked():
		return ErrLocked
	case signer == nil:
		return errors.New("pgp: decrypt: a signer is required")
	}
	br := bufio.NewReader(message)
	var body io.Reader = br
	if head, _ := br.Peek(64); bytes.HasPrefix(bytes.TrimLeft(head, " \t\r\n"), []byte("-----BEGIN PGP MESSAGE-----")) {
		block, err := armor.Decode(br)
		if err != nil {
			return fmt.Errorf("pgp: read armored message: %w", err)
		}
		body = block.Body
	}
	md, err := openpgp.ReadMessage(body, openpgp.EntityList{recipient.entity, signer.entity}, nil, config())
	if errors.Is(err, pgperrors.ErrKeyIncorrect) {
		return fmt.Errorf("%w (key %s)", ErrNotRecipient, recipient.KeyID())
	}
	if err != nil {
		return fmt.Errorf("pgp: decrypt with %s: %w", recipient.KeyID(), err)
	}
	if !md.IsSigned {
		return fmt.Errorf("%w: message is not signed", ErrBadSignature)
	}
	if md.SignedBy == nil || md.SignedBy.Entity.PrimaryKey.KeyId != signer.entity.PrimaryKey.KeyId {
		return fmt.Errorf("%w: message is signed by key %016X, not %s", ErrBadSignature, md.SignedByKeyId, signer.KeyID())
	}
	body = &eofReader{r: md.UnverifiedBody}
	if err := consume(body); err != nil {
		return err
	}
	// The signature (and the integrity tag) is checked at EOF; the reader
	// must not be read again once it has returned io.EOF.
	if !body.(*eofReader).eof {
		if _, err := io.Copy(io.Discard, body); err != nil {
			return fmt.Errorf("%w: %w", ErrBadSignature, err)
		}
	}
	if md.SignatureError != nil {
		return fmt.Errorf("%w: %w", ErrBadSignature, md.SignatureError)
	}
	return nil
}

// eofReader remembers that its reader returned io.EOF.
type eofReader struct {
	r   io.Reader
	eof bool
}

func (e *eofReader) Read(p []byte) (int, error) {
	if e.eof {
		return 0, io.EOF
	}
	n, err := e.r.Read(p)
	if err == io.EOF {
		e.eof = true
	}
	return n, err
}

// Protect encrypts k's private parts with passphrase, as a key is kept at
// rest (gpg exports secret keys this way); Unlock reverses it.
func (k *Key) Protect(passphrase []byte) error {
	if !k.HasPrivate() {
		return ErrNoPrivateKey
	}
	if err := k.entity.EncryptPrivateKeys(passphrase, config()); err != nil {
		return fmt.Errorf("pgp: protect key %s: %w", k.KeyID(), err)
	}
	return nil
}
